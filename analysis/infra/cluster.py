"""One way to reach Dask: a ``dask.distributed`` client on a scheduler or on a local cluster made for it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["dask_client"]


@contextmanager
def dask_client(scheduler: str | None, n_workers: int) -> Iterator:
    """A client of ``scheduler``, or of a new ``LocalCluster`` of ``n_workers`` one-thread processes.

    Both are closed on leaving (the cluster only when it was made here). Dask is imported only here,
    when a caller asks for it. ``LocalCluster`` writes its workers' settings into this process's
    environment (``OMP_NUM_THREADS=1``, ``PYTHONHASHSEED``, ...), which later child processes would
    inherit (an embedding child on one thread computes other last bits): the environment is restored
    on leaving.
    """
    from dask.distributed import Client, LocalCluster

    environment = dict(os.environ)
    cluster = client = None
    try:
        if not scheduler:
            cluster = LocalCluster(
                n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=":0"
            )
        client = Client(scheduler or cluster)
        yield client
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
        os.environ.clear()
        os.environ.update(environment)
