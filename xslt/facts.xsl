<?xml version="1.0" encoding="UTF-8"?>
<!--
  facts.xsl - what a TEI document says about itself, as JSON: the facts
  header.xsl reads, for cmctei's own use (the site index entry of TEI that
  cmctei did not write, a volume's contents and its previous/next links).

  Output: one JSON object with the keys id, title, date, lang, authors,
  editors, publisher, pub-place, pub-year, licence, idnos, number (a
  document of a volume), volume-title, documents (how many
  div[@type='document'] the text holds).
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns:tei="http://www.tei-c.org/ns/1.0"
                xmlns:cm="urn:cmctei"
                exclude-result-prefixes="#all">

  <xsl:include href="common.xsl"/>
  <xsl:output method="json" indent="no" encoding="UTF-8"/>

  <xsl:template match="/">
    <xsl:variable name="tei" select="(tei:TEI, *)[1]"/>
    <xsl:sequence select="map {
      'id': cm:docid($tei),
      'title': cm:title($tei),
      'date': cm:date($tei),
      'lang': cm:lang($tei),
      'authors': array { cm:authors($tei) },
      'editors': array { cm:editors($tei) },
      'publisher': cm:publisher($tei),
      'pub-place': cm:pub-place($tei),
      'pub-year': cm:pub-year($tei),
      'licence': cm:licence($tei),
      'idnos': array { cm:idnos($tei) },
      'number': cm:doc-number($tei),
      'volume-title': cm:volume-title($tei),
      'documents': count(cm:document-divs($tei))
    }"/>
  </xsl:template>

</xsl:stylesheet>
