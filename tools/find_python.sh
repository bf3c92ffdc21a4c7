#!/usr/bin/env sh
# Print the first working interpreter of Python VERSION (the one Colab runs, from
# colab-runtime.txt): pythonVERSION on PATH, then pyenv's copies; else python3, with
# a warning on stderr, so the course still installs where that version is missing.
# (A pyenv shim for a version that is not selected exists but fails: each candidate is run.)
version="$1"
for candidate in "python$version" "$HOME"/.pyenv/versions/"$version"*/bin/"python$version" \
                 /usr/local/bin/"python$version" /usr/bin/"python$version"; do
  if "$candidate" -c "import sys; sys.exit(sys.version_info[:2] != tuple(map(int, '$version'.split('.'))))" \
      >/dev/null 2>&1; then
    command -v "$candidate" 2>/dev/null || echo "$candidate"
    exit 0
  fi
done
echo "warning: no Python $version found (Colab runs $version); using python3" >&2
echo python3
