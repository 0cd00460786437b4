package io.heliotrope.broker.signal.providers;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Parses an ENTSO-E {@code Publication_MarketDocument} (A44 day-ahead prices): TimeSeries with a
 * currency, Periods with a time interval and a resolution (PT60M, PT15M), and Points by position.
 * Under curve type A03 positions whose price repeats are left out; the previous price holds.
 */
final class EntsoeA44 {
  record Price(Instant start, Instant end, double amount, String currency, Instant created) {}

  /** No prices in the document, e.g. an {@code Acknowledgement_MarketDocument} saying why. */
  static final class Unusable extends Exception {
    private static final long serialVersionUID = 1L;

    Unusable(String message) {
      super(message);
    }
  }

  private EntsoeA44() {}

  static List<Price> parse(String xml) throws Unusable {
    Document doc = read(xml);
    Element root = doc.getDocumentElement();
    if (!"Publication_MarketDocument".equals(root.getLocalName())) {
      throw new Unusable(root.getLocalName() + ": " + text(root, "text", "no reason given"));
    }
    Instant created = Instant.parse(text(root, "createdDateTime", ""));
    List<Price> out = new ArrayList<>();
    for (Element ts : children(root, "TimeSeries")) {
      String currency = text(ts, "currency_Unit.name", "EUR");
      String unit = text(ts, "price_Measure_Unit.name", "MWH");
      if (!"MWH".equals(unit)) {
        throw new Unusable("price unit " + unit + " is not MWH");
      }
      for (Element period : children(ts, "Period")) {
        Element interval = children(period, "timeInterval").get(0);
        Instant start = minuteInstant(text(interval, "start", ""));
        Instant end = minuteInstant(text(interval, "end", ""));
        Duration res = Duration.parse(text(period, "resolution", ""));
        int slots = (int) (Duration.between(start, end).toSeconds() / res.toSeconds());
        double[] price = new double[slots + 1];
        boolean[] given = new boolean[slots + 1];
        for (Element pt : children(period, "Point")) {
          int pos = Integer.parseInt(text(pt, "position", "0"));
          if (pos >= 1 && pos <= slots) {
            price[pos] = Double.parseDouble(text(pt, "price.amount", "NaN"));
            given[pos] = true;
          }
        }
        for (int pos = 1; pos <= slots; pos++) {
          if (!given[pos]) {
            if (pos == 1 || !given[pos - 1]) {
              throw new Unusable("period from " + start + " has no price at position " + pos);
            }
            price[pos] = price[pos - 1];
            given[pos] = true;
          }
          Instant s = start.plus(res.multipliedBy(pos - 1L));
          out.add(new Price(s, s.plus(res), price[pos], currency, created));
        }
      }
    }
    return out;
  }

  private static Document read(String xml) throws Unusable {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setNamespaceAware(true);
      // A provider's answer must not be able to read our files (XXE).
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new Unusable("unreadable XML (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** ENTSO-E writes "2023-06-01T22:00Z", without seconds. */
  private static Instant minuteInstant(String s) {
    return OffsetDateTime.parse(s).toInstant(); // ISO seconds are optional
  }

  private static List<Element> children(Element parent, String localName) {
    List<Element> out = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      Node n = nodes.item(i);
      if (n instanceof Element e && localName.equals(e.getLocalName())) {
        out.add(e);
      }
    }
    return out;
  }

  /** Text of the first descendant with that local name, or the default. */
  private static String text(Element parent, String localName, String dflt) {
    NodeList nodes = parent.getElementsByTagNameNS("*", localName);
    return nodes.getLength() == 0 ? dflt : nodes.item(0).getTextContent().trim();
  }
}
