#!/usr/bin/env bash
# A current WordPress for the plugin's tests, next to the one Debian 12 installs (6.1): Debian 13's
# wordpress package (6.8) with its French translations, default theme and the libraries its files link
# to, unpacked (not installed) into .cache/wordpress-current/. Prints that WordPress's folder.
set -euo pipefail
cd "$(dirname "$0")/.."
dest="$PWD/.cache/wordpress-current"
core="$dest/usr/share/wordpress"
if [ ! -f "$core/wp-includes/version.php" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/lists/partial" "$work/archives/partial"
  echo "deb http://deb.debian.org/debian trixie main" > "$work/sources.list"
  apt=(-o "Dir::Etc::sourcelist=$work/sources.list" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$work/lists"
    -o "Dir::Cache::Archives=$work/archives" -o APT::Sandbox::User=root)
  apt-get "${apt[@]}" update -qq >&2
  (cd "$work" && apt-get "${apt[@]}" download -qq wordpress wordpress-l10n wordpress-theme-twentytwentyfive \
    libjs-lodash libjs-underscore libjs-cropper php-getid3 >&2)
  rm -rf "$dest"
  mkdir -p "$dest"
  for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$dest"; done
fi
echo "$core"
