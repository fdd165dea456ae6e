#!/usr/bin/env bash
# Fetch the web UI's front-end libraries from npm at pinned versions and copy their
# distribution files and licences into web/static/vendor/, which is committed and
# embedded in the binary: a clean clone builds and runs with no network and no build
# step. Beside each script go its brotli and gzip copies (cmd/precompress), which the
# server sends to browsers that accept them. Run this only to change a version; then
# commit web/static/vendor/.
set -euo pipefail
cd "$(dirname "$0")/.."
HTMX=2.0.11     # htmx.org: partial page updates from HTML attributes
ECHARTS=6.1.0   # Apache ECharts: the dashboards' charts
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "htmx.org@$HTMX" "echarts@$ECHARTS" >/dev/null)
mkdir -p "$tmp/htmx" "$tmp/echarts"
tar -xzf "$tmp/htmx.org-$HTMX.tgz" -C "$tmp/htmx"
tar -xzf "$tmp/echarts-$ECHARTS.tgz" -C "$tmp/echarts"
out=static/vendor
rm -rf "$out" && mkdir -p "$out/htmx" "$out/echarts"
cp "$tmp/htmx/package/dist/htmx.min.js" "$out/htmx/"
cp "$tmp/htmx/package/LICENSE" "$out/htmx/LICENSE"
cp "$tmp/echarts/package/dist/echarts.min.js" "$out/echarts/"
cp "$tmp/echarts/package/LICENSE" "$out/echarts/LICENSE"
[ -f "$tmp/echarts/package/NOTICE" ] && cp "$tmp/echarts/package/NOTICE" "$out/echarts/NOTICE"
cat > "$out/VERSIONS" <<V
htmx.org $HTMX (BSD Zero Clause, see htmx/LICENSE)
echarts $ECHARTS (Apache-2.0, see echarts/LICENSE and echarts/NOTICE)
V
(cd "$out" && sha256sum htmx/htmx.min.js echarts/echarts.min.js >> VERSIONS)
# brotli and gzip copies beside them, sent to browsers that accept them (web/assets.go)
go run ../cmd/precompress "$out"
echo "vendored into web/$out:"; cat "$out/VERSIONS"
