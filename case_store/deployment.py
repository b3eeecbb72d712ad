"""Facts about the deployment itself, one named value each (the secret's fingerprint)."""

from __future__ import annotations

from sqlalchemy import Column, String, Table, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from case_store.tables import metadata

deployment = Table(
    "deployment",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", String(200), nullable=False),
)


class DeploymentQueries:
    conn: AsyncConnection

    async def deployment_value(self, name: str) -> str | None:
        q = select(deployment.c.value).where(deployment.c.name == name)
        return (await self.conn.execute(q)).scalar()

    async def set_deployment_value(self, name: str, value: str) -> None:
        await self.conn.execute(insert(deployment).values(name=name, value=value))
