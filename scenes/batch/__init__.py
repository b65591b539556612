"""``nnwarp batch``: many renders (jobs files, story files) on local processes or a Dask cluster.

:mod:`scenes.batch.jobs` reads and checks the jobs, :mod:`scenes.batch.records` knows which
are finished, :mod:`scenes.batch.pool` runs them (:mod:`scenes.batch.run` is one job in a
worker, :mod:`scenes.batch.zygote` a cluster worker's warm process), :mod:`scenes.batch.deliver`
writes their files and :mod:`scenes.batch.runner` ties it together. Nothing is imported here:
``python -m scenes.batch.zygote`` starts light.
"""

from __future__ import annotations
