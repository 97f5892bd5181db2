-- 0004_nfl: NFL games as loaded by load-games, the rows it refused, and Elo ratings per game.

-- One row per game, in the schema of the shipped games file (result and total are derived from
-- the scores, so they are checked on load, not stored).
CREATE TABLE games (
    game_id         text PRIMARY KEY,
    season          integer NOT NULL,
    game_type       text NOT NULL CHECK (game_type IN ('REG', 'WC', 'DIV', 'CON', 'SB')),
    week            integer NOT NULL,
    gameday         date NOT NULL,
    gametime        text,
    away_team       text NOT NULL,
    away_score      integer CHECK (away_score >= 0),
    home_team       text NOT NULL CHECK (home_team <> away_team),
    home_score      integer CHECK (home_score >= 0),
    location        text NOT NULL CHECK (location IN ('Home', 'Neutral')),
    overtime        boolean,
    away_rest       integer,
    home_rest       integer,
    away_moneyline  integer,
    home_moneyline  integer,
    spread_line     double precision,
    total_line      double precision,
    div_game        boolean NOT NULL DEFAULT false,
    roof            text,
    surface         text,
    temp            integer,
    wind            integer,
    stadium_id      text,
    loaded_at       timestamptz NOT NULL DEFAULT now(),
    CHECK ((away_score IS NULL) = (home_score IS NULL))
);
CREATE INDEX games_season_day ON games (season, gameday, gametime, game_id);

-- Rows load-games refused: where, which column, why, and the line as it was.
CREATE TABLE games_quarantine (
    id              bigserial PRIMARY KEY,
    load_id         text NOT NULL,
    source          text NOT NULL,
    line            integer NOT NULL,
    column_name     text,
    reason          text NOT NULL,
    raw             text NOT NULL,
    quarantined_at  timestamptz NOT NULL DEFAULT now()
);

-- Elo ratings per game of one elo-ratings run (run_id = the task id): pre-game ratings, the home
-- win probability and the Elo spread.
CREATE TABLE elo_ratings (
    run_id          text NOT NULL,
    game_id         text NOT NULL,
    season          integer NOT NULL,
    home_team       text NOT NULL,
    away_team       text NOT NULL,
    elo_home_pre    double precision NOT NULL,
    elo_away_pre    double precision NOT NULL,
    home_win_prob   double precision NOT NULL,
    elo_spread      double precision NOT NULL,
    elo_home_post   double precision,
    elo_away_post   double precision,
    PRIMARY KEY (run_id, game_id)
);

GRANT SELECT ON games, games_quarantine, elo_ratings TO nflc_worker, nflc_reader;
GRANT INSERT, UPDATE ON games, games_quarantine, elo_ratings TO nflc_worker;
GRANT DELETE ON elo_ratings, games_quarantine TO nflc_worker;
GRANT USAGE ON SEQUENCE games_quarantine_id_seq TO nflc_worker;

-- Model versions that regression-check has seen: their per-game predictions (a dataset aligned
-- with an outcomes dataset) and mean loss, so a new version is compared with its previous one and
-- its best.
CREATE TABLE model_versions (
    model           text NOT NULL,
    version         text NOT NULL,
    outcomes        text NOT NULL,
    predictions     text NOT NULL,
    rule            text NOT NULL,
    mean_loss       double precision NOT NULL,
    task_id         text,
    registered_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (model, version)
);
CREATE INDEX model_metrics_task ON model_metrics (task_id);
CREATE INDEX regressions_task ON regressions (task_id);

GRANT SELECT ON model_versions TO nflc_worker, nflc_reader;
GRANT INSERT, UPDATE ON model_versions TO nflc_worker;
GRANT DELETE ON model_metrics, regressions TO nflc_worker;
