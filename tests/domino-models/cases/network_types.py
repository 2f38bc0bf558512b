from typing import List, Optional

import pydantic
from pydantic import AnyHttpUrl, AnyUrl, BaseModel, Field, HttpUrl, PostgresDsn
from pydantic.networks import FileUrl, MongoDsn, RedisDsn


class InputModel(BaseModel):
    endpoint: AnyHttpUrl = Field(default="https://example.com/api", description="API root.")
    any_url: AnyUrl
    http_url: HttpUrl = "http://example.com"
    optional_url: Optional[HttpUrl] = None
    urls: List[AnyHttpUrl] = []
    file_url: FileUrl = "file:///tmp/x"
    database: PostgresDsn = "postgres://user:pass@localhost:5432/db"
    mongo: Optional[MongoDsn] = None
    redis: RedisDsn = pydantic.Field(default="redis://localhost:6379/0")
    amqp: pydantic.AmqpDsn = "amqp://localhost"
    kafka: pydantic.KafkaDsn = "kafka://localhost:9092"
    mysql: pydantic.MySQLDsn = "mysql://localhost/db"
    mariadb: pydantic.MariaDBDsn = "mariadb://localhost/db"
    cockroach: pydantic.CockroachDsn = "cockroachdb://localhost/db"


class OutputModel(BaseModel):
    url: AnyUrl
