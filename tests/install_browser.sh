#!/bin/sh
# Installs Debian's chromium and CJK fonts for the browser tests, when missing and when we are root.
# Never fails the build: without them the browser tests skip and say why.
if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "noto.*cjk"; then exit 0; fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "browser tests will skip: chromium/fonts-noto-cjk missing and cannot apt-get install as non-root"
  exit 0
fi
echo "installing chromium and fonts-noto-cjk for the browser tests (apt-get)"
(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null) \
  || echo "apt-get install chromium fonts-noto-cjk failed: browser tests will skip"
exit 0
