#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
# The built imapid.service: systemd-analyze rates its exposure 2.0 or better (offline, as on a machine
# without systemd running) and 'systemd-analyze verify' accepts it with ExecStart= pointing at the built
# daemon (verify checks that the binary exists). TAP output.
#   check-unit.sh BUILT_UNIT DAEMON_BINARY
set -uo pipefail

UNIT=$1
DAEMON=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "1..4"

# 1. exposure: --threshold=20 fails above 2.0
out=$(systemd-analyze security --offline=true --threshold=20 --no-pager "$UNIT" 2>&1)
rc=$?
score=$(printf '%s\n' "$out" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
if [ $rc = 0 ] && [ -n "$score" ]; then
        echo "ok 1 - exposure level $score (threshold 2.0)"
else
        echo "not ok 1 - exposure level '${score}' above 2.0 or not rated (rc $rc)"
        printf '%s\n' "$out" | sed 's/^/# /'
fi

# 2. the gate itself works: a threshold below the score fails (so test 1 cannot pass vacuously)
if systemd-analyze security --offline=true --threshold=0 --no-pager "$UNIT" >/dev/null 2>&1; then
        echo "not ok 2 - --threshold=0 passed: the exposure gate does not gate"
else
        echo "ok 2 - --threshold=0 fails as it should"
fi

# 3. verify, with ExecStart= at the built binary. --man=no: the Documentation= man pages are not
# installed on a build machine (verify would run man(1) on each).
sed "s|^ExecStart=.*|ExecStart=$DAEMON|" "$UNIT" > "$TMP/imapid.service"
if out=$(systemd-analyze verify --man=no "$TMP/imapid.service" 2>&1) && [ -z "$out" ]; then
        echo "ok 3 - systemd-analyze verify"
else
        echo "not ok 3 - systemd-analyze verify"
        printf '%s\n' "$out" | sed 's/^/# /'
fi

# 4. devices: optical drives only
if grep -qx 'DevicePolicy=closed' "$UNIT" && [ "$(grep '^DeviceAllow=' "$UNIT" | sort | tr '\n' ' ')" = \
        "DeviceAllow=block-sr rw DeviceAllow=char-sg rw " ]; then
        echo "ok 4 - DevicePolicy=closed, DeviceAllow= block-sr and char-sg only"
else
        echo "not ok 4 - device access is not limited to block-sr and char-sg"
        grep '^Device' "$UNIT" | sed 's/^/# /'
fi
