package io.heliotrope.broker.report;

/** What every SVG here needs: text that cannot break the markup (names come from configuration). */
final class Svg {
  private Svg() {}

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;");
  }
}
