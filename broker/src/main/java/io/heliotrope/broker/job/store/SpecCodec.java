package io.heliotrope.broker.job.store;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.heliotrope.broker.domain.JobSpec;

/**
 * Stores a {@link JobSpec} as JSON text: readable with any SQL client, and independent of the
 * wire format of the public API.
 */
final class SpecCodec {
  private final ObjectMapper mapper = new ObjectMapper()
      .registerModule(new JavaTimeModule())
      .registerModule(new Jdk8Module())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      // Record components only: derived methods such as Resources.isEmpty() are not data.
      .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
      .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);

  String encode(JobSpec spec) {
    try {
      return mapper.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode job spec " + spec.name(), e);
    }
  }

  JobSpec decode(String json) {
    try {
      return mapper.readValue(json, JobSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored job spec is unreadable: " + e.getOriginalMessage(), e);
    }
  }
}
