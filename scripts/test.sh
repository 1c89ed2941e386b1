#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs uv, the dev environment, redis-server and consul
# (scripts/provision.sh), then runs pytest over both cores. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/env.sh

# Compiled at install: where PYTHONDONTWRITEBYTECODE is set (as on this project's build machine)
# nothing caches the bytecode, and the suite starts hundreds of Python processes.
uv sync --frozen --quiet --compile-bytecode
exec uv run --frozen pytest -n 2 "$@"
