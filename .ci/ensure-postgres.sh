#!/usr/bin/env bash
# Makes sure a PostgreSQL answers on 127.0.0.1:5432 for the tests: uses the one running, starts an
# installed cluster that is stopped, or installs one from Debian's packages.
set -euo pipefail

if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
	exit 0
fi

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
	echo "ensure-postgres: installing PostgreSQL from Debian's packages" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq postgresql >/dev/null
fi

version="$(ls /etc/postgresql | sort -V | tail -1)"
if [ -z "$version" ]; then
	pg_createcluster --start 15 main
	version=15
fi
hba="/etc/postgresql/$version/main/pg_hba.conf"
# The tests connect as postgres over TCP without a password, as on the development machines.
if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
	sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
fi
pg_ctlcluster --skip-systemctl-redirect "$version" main start || pg_ctlcluster --skip-systemctl-redirect "$version" main reload

for _ in $(seq 1 30); do
	pg_isready -q -h 127.0.0.1 -p 5432 && exit 0
	sleep 1
done
echo "ensure-postgres: PostgreSQL did not come up on 127.0.0.1:5432" >&2
exit 1
