from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
async def db(tmp_path):
    from storage.db import Database

    async with Database(tmp_path / "akhbar.db") as database:
        yield database
