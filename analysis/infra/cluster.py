"""One way to reach Dask: a ``dask.distributed`` client on a scheduler or on a local cluster made for it."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["dask_client", "summed_where_held"]


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


def summed_where_held(client, futures: list, add, *, width: int = 8):
    """The future of all ``futures``' results (at least one) added up by ``add``, each addition on
    the worker that holds its terms.

    Whenever one worker holds ``width`` finished results (batches or sums), they are added there, ahead
    of every task not yet started (``priority``): nothing travels between workers until the end, when
    each worker adds what it still holds and those sums (one per worker) are added once. ``add`` is a
    module-level function of any number of results whose value must not depend on their order (the
    results arrive as they finish). A failed task fails the sum. Fewer, wider additions cost less
    than a binary tree: adding ``width`` tables at once reads each row once, not ``log2(width)`` times.

    Returns
    -------
    Future
        Of the sum (of the single result when there is one).
    """
    from dask.distributed import as_completed

    held: dict[str | None, list] = {}

    def add_on(worker, terms):
        # a preference, not a rule: another worker takes it if this one is gone
        where = {} if worker is None else {"workers": [worker], "allow_other_workers": True}
        return client.submit(add, *terms, priority=1, pure=False, **where)

    pending = as_completed(futures)
    for future in pending:
        worker = min(client.who_has([future]).get(future.key, ()), default=None)
        group = held.setdefault(worker, [])
        group.append(future)
        if len(group) >= width:
            held[worker] = []
            pending.add(add_on(worker, group))
    per_worker = [
        group[0] if len(group) == 1 else add_on(worker, group) for worker, group in held.items() if group
    ]
    return per_worker[0] if len(per_worker) == 1 else add_on(None, per_worker)
