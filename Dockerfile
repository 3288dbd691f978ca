# Cairn container image: one image, one entrypoint (the cairn command) for every role.
#   docker build -t cairn .
#   docker run -p 9000:9000 -p 9001:9001 -v cairn-data:/data cairn            (server, the default)
#   docker run -e CAIRN_CLUSTER_SECRET=... cairn chunkstore --join http://SERVER:9001 ...

# ---- build: the shaded cairn.jar (tools module and the modules it depends on) ----
FROM maven:3-eclipse-temurin-17 AS build
WORKDIR /src
# Poms and sources of every module (.dockerignore keeps build output, docs and the chart out);
# the reactor needs every module's pom even though only tools and its dependencies are built.
COPY . .
RUN mvn -B -q -DskipTests -pl tools -am package

# ---- runtime: a slim JRE, a non-root user, data on a volume ----
FROM eclipse-temurin:17-jre
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
# chunkstore: its pieces). Flags can also be given as CAIRN_<FLAG> variables.
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
