# Agent image. Build the jar first (mvn -B package -pl agents -am -DskipTests), then:
#   docker build -f docker/agent.Dockerfile -t ghcr.io/heliotrope/agent:0.1.0 .
# nvidia-smi is not in the image: the NVIDIA container runtime mounts it (runtimeClassName: nvidia).
FROM eclipse-temurin:17-jre
COPY agents/target/agent.jar /opt/heliotrope/agent.jar
ENTRYPOINT ["java", "-jar", "/opt/heliotrope/agent.jar"]
