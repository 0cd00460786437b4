package io.heliotrope.broker.cli;

/** A command that calls the broker; the error handler names its address when the broker cannot be reached. */
interface Remote {
  ClientOptions client();
}
