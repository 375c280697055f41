"""A living-review project: REVIEW_DIR holding ``review.toml`` (question, groups, analyses,
pooling settings, store URL) and, by default, the SQLite store ``store.sqlite``."""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..errors import ConfigError, StoreError
from ..meta.select import ReviewConfig, load_config
from .store import Store, open_store

CONFIG_NAME = "review.toml"
DEFAULT_DB_NAME = "store.sqlite"

# The starting configuration of `metabolero init`: HR+ advanced breast cancer, the field the
# project was founded on. The reviewer edits it; nothing here is required by the code.
TEMPLATE = """\
# metabolero living review. Edit the question, drug classes and analyses to your review.

[review]
title = "Living review"
question = "Targeted agents added to endocrine therapy in HR+/HER2- advanced breast cancer: progression-free survival"

[pooling]
method = "REML"            # tau^2 estimator: EE, DL, REML, ML, PM, HS, SJ, HE, EB (metafor names)
hksj = true                # Knapp-Hartung adjustment
prediction_interval = true
measure = "HR"

# Drug classes: keywords looked up (as words) in the experimental arm's name.
[groups]
"CDK4/6 inhibitor" = ["palbociclib", "ribociclib", "abemaciclib", "dalpiciclib"]
"mTOR inhibitor" = ["everolimus", "temsirolimus"]
"PI3K/AKT inhibitor" = ["alpelisib", "buparlisib", "taselisib", "pictilisib", "capivasertib", "inavolisib"]

[[analysis]]
name = "CDK4/6 inhibitor - PFS (investigator)"
group = "CDK4/6 inhibitor"
endpoint = "PFS"
assessment = "investigator"

[[analysis]]
name = "mTOR inhibitor - PFS (investigator)"
group = "mTOR inhibitor"
endpoint = "PFS"
assessment = "investigator"

[[analysis]]
name = "PI3K/AKT inhibitor - PFS (investigator)"
group = "PI3K/AKT inhibitor"
endpoint = "PFS"
assessment = "investigator"
"""


@dataclass
class Review:
    """An opened living review: its folder, configuration and store."""

    path: Path
    config: ReviewConfig
    store: Store

    def close(self) -> None:
        """Release the store's connections."""
        self.store.close()


def _store_url(review_dir: Path, db: Optional[str]) -> str:
    """Return the store URL: ``db`` if given, else [store] url of review.toml, else the SQLite file."""
    if db:
        return db
    cfg = review_dir / CONFIG_NAME
    if cfg.is_file():
        try:
            url = tomllib.loads(cfg.read_text(encoding="utf-8")).get("store", {}).get("url")
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{cfg}: not valid TOML ({exc})") from exc
        if url:
            if not isinstance(url, str):
                raise ConfigError(f"{cfg}: [store] url should be a database URL string, got {url!r}")
            return url
    return f"sqlite:///{(review_dir / DEFAULT_DB_NAME).resolve()}"


def _keep_store_url(cfg: Path, db: str) -> None:
    """Record ``db`` as [store] url of the configuration, so later commands need no --db.

    A password in the URL is not written: PostgreSQL clients read it from $PGPASSWORD or
    ~/.pgpass (or give --db with the password to each command).
    """
    import sqlalchemy as sa

    try:
        current = tomllib.loads(cfg.read_text(encoding="utf-8")).get("store", {})
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{cfg}: not valid TOML ({exc})") from exc
    try:
        u = sa.engine.make_url(db)
        url = sa.engine.URL.create(u.drivername, username=u.username, host=u.host, port=u.port,
                                   database=u.database, query=u.query).render_as_string(hide_password=False)
    except sa.exc.ArgumentError as exc:
        raise ConfigError(f"--db {db!r}: not a database URL ({exc})") from exc
    if not current:
        with open(cfg, "a", encoding="utf-8") as fh:
            fh.write(f'\n[store]\nurl = "{url}"\n')
    elif current.get("url") != url:
        raise ConfigError(f"{cfg}: [store] url is {current.get('url')!r}, not the --db given ({url!r}); "
                          f"edit the file to move the review to another database")


def init_review(review_dir, db: Optional[str] = None, lock_timeout: Optional[float] = None) -> Review:
    """Create (or re-open) a living review in ``review_dir``; return it with its store ready.

    Writes ``review.toml`` from the template unless one is there (a given ``db`` URL is kept
    in its [store] table so later commands find it), validates it, and creates or upgrades
    the store schema. An existing store is never reset.
    """
    review_dir = Path(review_dir)
    review_dir.mkdir(parents=True, exist_ok=True)
    cfg = review_dir / CONFIG_NAME
    if not cfg.exists():
        cfg.write_text(TEMPLATE, encoding="utf-8")
    if db:
        _keep_store_url(cfg, db)
    config = load_config(cfg)
    store = open_store(_store_url(review_dir, db), lock_timeout=lock_timeout, create=True)
    return Review(review_dir, config, store)


def open_review(review_dir, db: Optional[str] = None, lock_timeout: Optional[float] = None) -> Review:
    """Open an existing living review (upgrading an older store); ConfigError/StoreError if there is none."""
    review_dir = Path(review_dir)
    cfg = review_dir / CONFIG_NAME
    if not cfg.is_file():
        raise ConfigError(f"{cfg}: not found; create the review with `metabolero init {review_dir}`")
    config = load_config(cfg)
    url = _store_url(review_dir, db)
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        raise StoreError(f"{url[len('sqlite:///'):]}: review store not found; run `metabolero init {review_dir}`")
    store = open_store(url, lock_timeout=lock_timeout, create=False)
    return Review(review_dir, config, store)
