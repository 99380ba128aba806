"""Read what a Prefect server holds with Prefect's own client (test helpers).

This Prefect client sends `null` for a filter, sort or limit left out, and the server
answers 422 (`prefect flow-run ls` does too): every one is given here.
"""

from __future__ import annotations

import asyncio


def _read(api_url: str, read):
    """Given a Prefect API URL and an async function of a client, return what it returns."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    async def main():
        async with get_client() as client:
            return await read(client)

    with temporary_settings({PREFECT_API_URL: api_url}):
        return asyncio.run(main())


def deployment_runs(api_url: str, deployment: str = "ingest/nightly") -> list:
    """Given a Prefect API, return a deployment's flow runs, oldest scheduled first."""
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterDeploymentId
    from prefect.client.schemas.sorting import FlowRunSort

    async def read(client):
        found = await client.read_deployment_by_name(deployment)
        return await client.read_flow_runs(
            flow_run_filter=FlowRunFilter(deployment_id=FlowRunFilterDeploymentId(any_=[found.id])),
            sort=FlowRunSort.EXPECTED_START_TIME_ASC,
            limit=200,
        )

    return _read(api_url, read)


def run_summaries(api_url: str, key: str = "xxgk-run-summary") -> dict:
    """Given a Prefect API, return flow run id -> Markdown of its artifact `key`."""
    from prefect.client.schemas.objects import Artifact

    async def read(client):
        # POSTed by hand: read_artifacts() sends `task_runs: null` (422), and an empty
        # task run filter would keep only artifacts made inside a task
        body = {"artifacts": {"key": {"any_": [key]}}, "sort": "CREATED_DESC", "limit": 200}
        response = await client.request("POST", "/artifacts/filter", json=body)
        return Artifact.model_validate_list(response.json())

    return {a.flow_run_id: a.data for a in _read(api_url, read)}


def deployment(api_url: str, name: str = "ingest/nightly"):
    """Given a Prefect API, return a deployment as Prefect's client reads it."""

    async def read(client):
        return await client.read_deployment_by_name(name)

    return _read(api_url, read)
