# Cairn container image: one image, one entrypoint (the cairn command) for every role.
#   docker build -t cairn --build-arg REVISION="$(git rev-parse --short=10 HEAD)" \
#     --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" .
#   docker run -p 9000:9000 -p 9001:9001 -v cairn-data:/data cairn            (server, the default)
#   docker run -e CAIRN_CLUSTER_SECRET=... cairn chunkstore --join http://SERVER:9001 ...
#   docker exec CONTAINER cairn admin summary     (credentials from /data/root-credentials)

# The version the image is labelled with; keep it equal to the root pom's <version>.
ARG VERSION=0.1.0-SNAPSHOT
# The git commit built (the build context has no .git); it also goes into `cairn version`.
ARG REVISION=unknown
ARG CREATED=unknown

# ---- build: the shaded cairn.jar (tools module and the modules it depends on) ----
FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies and plugins in a layer of their own, resolved from the poms alone (the reactor
# needs every module's pom, the chart's module too): a change to the sources reuses this layer.
COPY pom.xml ./
COPY metadata/pom.xml metadata/
COPY chunkstore/pom.xml chunkstore/
COPY placement/pom.xml placement/
COPY s3-api/pom.xml s3-api/
COPY tools/pom.xml tools/
COPY helm/pom.xml helm/
RUN mvn -B -q -pl tools -am dependency:go-offline
# Then the sources, and the build.
COPY metadata/src metadata/src
COPY chunkstore/src chunkstore/src
COPY placement/src placement/src
COPY s3-api/src s3-api/src
COPY tools/src tools/src
ARG REVISION
RUN mvn -B -q -Dmaven.test.skip=true -Dgit.commit.id.abbrev="${REVISION}" -pl tools -am package

# ---- runtime: a slim JRE, a non-root user, data on a volume ----
FROM eclipse-temurin:17-jre
ARG VERSION
ARG REVISION
ARG CREATED
LABEL org.opencontainers.image.title="Cairn" \
      org.opencontainers.image.description="S3-compatible distributed object store: S3 gateway server and chunkstore storage nodes" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="https://github.com/cairn/cairn" \
      org.opencontainers.image.url="https://github.com/cairn/cairn" \
      org.opencontainers.image.base.name="docker.io/library/eclipse-temurin:17-jre"
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 cairn \
    && useradd --system --uid 10001 --gid cairn --home-dir /data --no-create-home cairn \
    && mkdir -p /data /opt/cairn \
    && chown cairn:cairn /data
COPY --from=build /src/tools/target/cairn.jar /opt/cairn/cairn.jar
COPY docker/cairn docker/healthcheck /usr/local/bin/
# Every role keeps its state in /data (the server: metadata, credentials, cluster secret; a
# chunkstore: its pieces). Flags can also be given as CAIRN_<FLAG> variables. The root
# filesystem can be mounted read-only: only /data and /tmp are written.
ENV CAIRN_DATA_DIR=/data \
    CAIRN_JAVA_OPTS="-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError"
VOLUME ["/data"]
WORKDIR /data
USER cairn:cairn
# 9000 S3, 9001 admin (health, metrics, cluster), 9100 chunkstore pieces
EXPOSE 9000 9001 9100
HEALTHCHECK --interval=15s --timeout=6s --start-period=30s --retries=3 CMD ["healthcheck"]
ENTRYPOINT ["cairn"]
CMD ["server"]
