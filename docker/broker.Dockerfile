# Broker image. Build the jar first (mvn -B package -pl proto,broker -am -DskipTests), then:
#   docker build -f docker/broker.Dockerfile -t ghcr.io/heliotrope/broker:0.1.0 .
FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 heliotrope && useradd --system --uid 10001 --gid 10001 heliotrope
COPY broker/target/broker.jar /opt/heliotrope/broker.jar
USER 10001:10001
EXPOSE 7070 9464
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/heliotrope/broker.jar"]
CMD ["serve", "--config", "/etc/heliotrope/broker.yaml"]
