#!/usr/bin/env bash
# Installs klscope under PREFIX (default /usr/local): the binary in PREFIX/bin, the examples in
# PREFIX/share/klscope/examples (where the binary and its file picker find them), the man page
# and the bash, zsh and fish completions.
#
#   swift build -c release --static-swift-stdlib     # a binary without libswift*.so
#   scripts/install.sh ~/.local                      # or: scripts/install.sh PREFIX BINARY
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${1:-/usr/local}
binary=${2:-.build/release/klscope}
if [ ! -x "$binary" ]; then
  echo "install.sh: no binary at $binary; build it first: swift build -c release --static-swift-stdlib" >&2; exit 2
fi
install -d "$prefix/bin" "$prefix/share/klscope" "$prefix/share/man/man1" \
  "$prefix/share/bash-completion/completions" "$prefix/share/zsh/site-functions" "$prefix/share/fish/vendor_completions.d"
install -m 755 "$binary" "$prefix/bin/klscope"
rm -rf "$prefix/share/klscope/examples"
cp -R examples "$prefix/share/klscope/examples"
install -m 644 docs/klscope.1 "$prefix/share/man/man1/klscope.1"
"$prefix/bin/klscope" --generate-completion-script bash > "$prefix/share/bash-completion/completions/klscope"
"$prefix/bin/klscope" --generate-completion-script zsh > "$prefix/share/zsh/site-functions/_klscope"
"$prefix/bin/klscope" --generate-completion-script fish > "$prefix/share/fish/vendor_completions.d/klscope.fish"
echo "installed $prefix/bin/klscope and its examples in $prefix/share/klscope/examples"
