# Sourced by test.sh and demo.sh: puts uv and the test servers on PATH on a fresh machine.
# uv comes from PyPI when missing. `pip install` does not refresh pyenv's shims, so the new uv
# may not be on PATH yet; ask the uv package where its binary is instead of assuming.
if ! command -v uv >/dev/null 2>&1; then
  python3 -m pip install -q --root-user-action=ignore uv
  uv_bin="$(python3 -c 'import uv; print(uv.find_uv_bin())')"
  export PATH="$(dirname "$uv_bin"):$PATH"
fi
consul_bin_dir="$(bash scripts/provision.sh)"
export PATH="$consul_bin_dir:$PATH"
