"""The scratch PostgreSQL database a benchmark creates, fills, measures and drops.

A bench refuses a database that already exists, so it never writes into one holding real data.
"""

import sys

import psycopg2
from django.db import connections
from psycopg2 import sql


def server_connection(params: dict):
    """An autocommit connection to the server's maintenance database, for CREATE/DROP."""
    link = psycopg2.connect(
        dbname="postgres",
        user=params["USER"],
        password=params["PASSWORD"],
        host=params["HOST"] or None,
        port=params["PORT"] or None,
    )
    link.autocommit = True
    return link


def create_database(params: dict) -> None:
    try:
        link = server_connection(params)
    except psycopg2.Error as error:
        sys.exit(f"Cannot reach the PostgreSQL server of DATABASE_URL: {error}")
    try:
        with link.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [params["NAME"]])
            if cursor.fetchone():
                sys.exit(
                    f"Database {params['NAME']} already exists. The bench works only in a "
                    "database it creates and drops; name one that does not exist in "
                    f"DATABASE_URL, or drop this one first (dropdb {params['NAME']})."
                )
            try:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(params["NAME"])))
            except psycopg2.Error as error:
                sys.exit(
                    f"Cannot create database {params['NAME']} (the role needs CREATEDB): {error}"
                )
    finally:
        link.close()


def drop_database(params: dict) -> None:
    connections.close_all()
    link = server_connection(params)
    try:
        with link.cursor() as cursor:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(params["NAME"])
                )
            )
    finally:
        link.close()
