#!/bin/sh
# Runs once, when the postgres container makes its cluster: the role the service joins. The
# migrations (applied by the first node, as the owner) create jeugdzorg_service and its rights;
# creating it here first lets jeugdzorg_api join it before that.
set -e
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE jeugdzorg_service NOLOGIN;
CREATE ROLE jeugdzorg_api LOGIN PASSWORD '$SERVICE_PASSWORD' IN ROLE jeugdzorg_service;
SQL
