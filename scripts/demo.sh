#!/usr/bin/env bash
# The main job on a fresh machine: install forge-scaffold's tools and the servers, generate a demo
# service with every expert mode, then install and test that service the way its README says.
# Usage: scripts/demo.sh [DEST]   (default: a new temporary directory)
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/env.sh

dest="${1:-$(mktemp -d)/demo-svc}"
uv sync --frozen --quiet
uv run --frozen forge-scaffold new "$dest" --defaults --name "Demo Svc" \
  --mode async --mode memory --mode testing --mode architecture
cd "$dest"
uv sync --quiet
uv run ruff check .
uv run mypy --strict src
uv run pytest
