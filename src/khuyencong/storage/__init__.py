"""Storage: one port, three adapters (memory, SQLite, PostgreSQL), and room for more.

Open a store with :func:`open_store`; use its repositories; group changes in a unit of work.
A record names an establishment the store holds, so the establishment goes in first.

>>> import datetime as dt
>>> from khuyencong.domain import (
...     Establishment, LegalForm, Sector, SupportContent, SupportRecord)
>>> from khuyencong.storage import open_store
>>> from khuyencong.units import MapId, UnitRef
>>> store = open_store("memory://")
>>> coop = Establishment(
...     id="BG-HTX-001", name="Hợp tác xã Mỳ Chũ", legal_form=LegalForm.COOPERATIVE,
...     location=UnitRef(MapId.MAP_2021, "07525"), sectors=[Sector.AGRO_FOOD_PROCESSING],
... )
>>> record = SupportRecord(
...     id="SR-1", establishment_id="BG-HTX-001", content=SupportContent.MACHINERY,
...     delivered_on=dt.date(2019, 6, 1), local_amount=150_000_000,
... )
>>> with store.unit_of_work() as uow:
...     uow.establishments.add(coop)
...     uow.support_records.add(record)
>>> store.support_records.get("SR-1") == record
True
"""

from khuyencong.storage._bulk import dataset_from_store, store_columns, store_dataset
from khuyencong.storage._memory import MemoryStore
from khuyencong.storage._open import ENTRY_POINT_GROUP, open_store
from khuyencong.storage._port import (
    AuditEntry,
    AuditLog,
    AwardRepository,
    BudgetRepository,
    Commitment,
    Disbursement,
    ProjectRepository,
    RecordQuery,
    Repository,
    Store,
    UnitOfWork,
    Versioned,
)
from khuyencong.storage._postgres import PostgresStore
from khuyencong.storage._schema import SCHEMA_VERSION
from khuyencong.storage._sqlite import SQLiteStore

__all__ = [
    "ENTRY_POINT_GROUP",
    "SCHEMA_VERSION",
    "AuditEntry",
    "AuditLog",
    "AwardRepository",
    "BudgetRepository",
    "Commitment",
    "Disbursement",
    "MemoryStore",
    "PostgresStore",
    "ProjectRepository",
    "RecordQuery",
    "Repository",
    "SQLiteStore",
    "Store",
    "UnitOfWork",
    "Versioned",
    "dataset_from_store",
    "open_store",
    "store_columns",
    "store_dataset",
]
