"""``python -m geomap`` and the ``geomap`` command."""

import os

# geomap does no linear algebra: the threads numpy's OpenBLAS starts at import (and keeps spinning a while,
# waiting for work) only cost CPU, about 0.1 s per process. A user's own setting stays.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from .cli import main  # after the setting, which numpy reads when it is first imported

if __name__ == "__main__":
    main()
