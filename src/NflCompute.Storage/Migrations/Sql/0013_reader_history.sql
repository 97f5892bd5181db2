-- 0013_reader_history: the dashboard's model-version history (/models/{model}) and Elo rating
-- histories (/elo/{run}) read model_versions and elo_ratings.
GRANT SELECT ON model_versions, elo_ratings TO nflc_reader;
