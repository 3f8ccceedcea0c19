"""One way to reach Dask: a ``dask.distributed`` client on a scheduler or on a local cluster made for it."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

__all__ = ["LOCAL_CLUSTER_CONFIG", "dask_client", "local_cluster", "summed_where_held"]

#: Dask settings of the clusters started here. They serve one call and nobody reads their dashboard,
#: so their housekeeping is slowed: no statistical profiler in the workers (a stack sample every
#: 10 ms), the event-loop watchdog every second (20 ms), the system and memory monitors every 2 s and
#: 1 s (0.5 s, 0.1 s; a worker over its memory limit is still stopped). An idle 2-worker cluster
#: used 1.51 s of CPU per 10 s with Dask's defaults, 0.21 s with these (process tree, psutil, a one-off script): on
#: a machine whose cores all run workers, that time came out of the workers'.
LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
}


def local_cluster(n_workers: int):
    """A new ``LocalCluster`` of ``n_workers`` one-thread processes with :data:`LOCAL_CLUSTER_CONFIG`
    (the caller closes it)."""
    import dask
    from dask.distributed import LocalCluster

    with dask.config.set(LOCAL_CLUSTER_CONFIG):
        return LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=":0")


@contextmanager
def dask_client(scheduler: str | None, n_workers: int) -> Iterator:
    """A client of ``scheduler``, or of a new :func:`local_cluster` of ``n_workers`` one-thread processes.

    Both are closed on leaving (the cluster only when it was made here). Dask is imported only here,
    when a caller asks for it. ``LocalCluster`` writes its workers' settings into this process's
    environment (``OMP_NUM_THREADS=1``, ``PYTHONHASHSEED``, ...), which later child processes would
    inherit (an embedding child on one thread computes other last bits): the environment is restored
    on leaving.
    """
    from dask.distributed import Client

    environment = dict(os.environ)
    cluster = client = None
    try:
        if not scheduler:
            cluster = local_cluster(n_workers)
        client = Client(scheduler or cluster)
        yield client
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
        os.environ.clear()
        os.environ.update(environment)


def summed_where_held(client, futures: Iterable, add, *, width: int = 8):
    """The future of all ``futures``' results (at least one) added up by ``add``, each addition on
    the worker that holds its terms.

    Pass the futures as an iterator and keep no other reference to them: a worker then frees each
    result once it is added (a list kept by the caller would hold every batch until the end).

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
