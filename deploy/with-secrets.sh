#!/bin/sh
# Docker secrets arrive as files; the programs read variables. Each NAME_FILE=path in the
# environment becomes NAME=<the file's content>, then the command runs in this process's
# place (so it receives the container's signals). nats-server fills $NAME in its
# configuration from these; the services read KOMMUNPLAN_* and PGPASSWORD.
set -eu
for name in $(env | sed -n 's/^\([A-Z][A-Z0-9_]*\)_FILE=.*/\1/p'); do
    eval "path=\${${name}_FILE}"
    value=$(cat "$path")
    export "$name=$value"
    unset "${name}_FILE"
done
exec "$@"
