#!/bin/sh
# Installs the Debian packages cordon needs to build, test, fuzz and benchmark,
# but only those that are missing, so a second run costs one dpkg query.
# The servers (redis-server, postgresql, ...) are for cordon probe's tests,
# which start their own on free ports; a package's own service is stopped
# from starting at install (policy-rc.d, for the install only).
set -eu

PACKAGES="build-essential cmake pkg-config
libpsl-dev publicsuffix libutf8proc-dev libsodium-dev libssl-dev
zlib1g-dev libzstd-dev zstd gzip libyaml-dev libcurl4-openssl-dev libpq-dev libmariadb-dev libbson-dev libsqlite3-dev sqlite3 libmicrohttpd-dev libnats-dev
libgeonames-dev libgeonames-common libpcre2-dev libphonenumber-dev libcmocka-dev libjansson-dev clang libclang-rt-14-dev time openssl valgrind wamerican
libtext-names-perl man-db groff-base python3 python3-jsonschema bash-completion zsh fish
redis-server memcached postgresql mariadb-server mariadb-client etcd-server etcd-client clickhouse-server
rabbitmq-server nats-server python3-bson python3-cryptography python3-fake-factory curl iproute2 util-linux prometheus-alertmanager chromium"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "cordon: installing missing packages:$missing" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
		echo "cordon: cannot install '$missing': not root and no sudo" >&2
		exit 2
	fi
fi
$SUDO apt-get update -qq
# no service starts at install: the tests start the servers they need
policy=/usr/sbin/policy-rc.d
made_policy=""
if [ ! -e "$policy" ] && [ "$(id -u)" -eq 0 ]; then
	printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy" && made_policy=1
fi
rc=0
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing || rc=$?
[ -n "$made_policy" ] && rm -f "$policy"
exit $rc
