<?xml version="1.0" encoding="UTF-8"?>
<!--
  dc.xsl - one document as a Dublin Core record (oai_dc, the format every OAI-PMH
  harvester reads): build/html/dc/<docid>.xml, and the record of the document in
  the site's static OAI-PMH repository (build/html/oai.xml, see cmctei/harvest.py).

  The facts are those of the page's <meta name="DC.*"> tags and of the citations
  (citation.xsl), so the three never disagree: title, creators, date, identifier
  and language are the same values. Besides them: the genre and the DCMI type
  (Text), editors as contributors, the display title (who wrote to whom) as the
  description when it says more than the title, where the document is kept or
  was printed as its source, the publisher and licence of the file, and, for TEI
  that cmctei did not write, the language its header declares.

  Parameters:
    canonical-url (xs:string, default '')  the page's address (citation.xsl);
                 the identifier is the address when given, else the document id.
    cm:document-id, cm:volume, cm:part  set by cmctei (see common.xsl).
  Output: <oai_dc:dc> with dc:* children, valid against oai_dc.xsd.
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns:tei="http://www.tei-c.org/ns/1.0"
                xmlns:cm="urn:cmctei"
                xmlns:c="urn:cmctei:citation"
                xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
                xmlns:dc="http://purl.org/dc/elements/1.1/"
                xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                exclude-result-prefixes="xs tei cm c">

  <xsl:include href="common.xsl"/>
  <xsl:include href="citation.xsl"/>
  <xsl:include href="site.xsl"/>
  <xsl:output method="xml" encoding="UTF-8" indent="yes" omit-xml-declaration="yes"/>
  <xsl:param name="site-title" as="xs:string" select="'cmctei'"/>

  <xsl:variable name="root" select="(/tei:TEI, /*)[1]"/>

  <xsl:template match="/">
    <oai_dc:dc xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd">
      <dc:title><xsl:value-of select="$c:item-title"/></dc:title>
      <xsl:for-each select="$c:authors">
        <dc:creator><xsl:value-of select="c:inverted(.)"/></dc:creator>
      </xsl:for-each>
      <xsl:for-each select="$c:editors">
        <dc:contributor><xsl:value-of select="c:inverted(.)"/></dc:contributor>
      </xsl:for-each>
      <xsl:variable name="display" select="cm:display-title-of($root)"/>
      <xsl:if test="$display != $c:item-title">
        <dc:description><xsl:value-of select="$display"/></dc:description>
      </xsl:if>
      <xsl:if test="cm:category($root, 'genre')">
        <dc:subject><xsl:value-of select="cm:category-label($root, 'genre')"/></dc:subject>
      </xsl:if>
      <xsl:if test="$c:date"><dc:date><xsl:value-of select="$c:date"/></dc:date></xsl:if>
      <dc:type>Text</dc:type>
      <xsl:if test="cm:category($root, 'genre')">
        <dc:type><xsl:value-of select="cm:category-label($root, 'genre')"/></dc:type>
      </xsl:if>
      <dc:format>application/tei+xml</dc:format>
      <dc:identifier><xsl:value-of select="($canonical-url[.], $docid)[1]"/></dc:identifier>
      <dc:language><xsl:value-of select="cm:lang($root)"/></dc:language>
      <xsl:variable name="archive" select="string-join(($c:archive-location, $c:archive, $c:archive-place)[.], ', ')"/>
      <xsl:variable name="edition" select="string-join(($c:book, $c:volume-title, $c:volume[.] ! ('vol. ' || .), $c:docno[.] ! ('doc. ' || .)), ', ')"/>
      <xsl:if test="$archive or $edition">
        <dc:source><xsl:value-of select="($archive[.], $edition)[1]"/></dc:source>
      </xsl:if>
      <xsl:if test="cm:publisher($root)"><dc:publisher><xsl:value-of select="cm:publisher($root)"/></dc:publisher></xsl:if>
      <xsl:if test="cm:licence($root)"><dc:rights><xsl:value-of select="cm:licence($root)"/></dc:rights></xsl:if>
    </oai_dc:dc>
  </xsl:template>

  <xsl:variable name="docid" select="cm:docid($root)"/>

</xsl:stylesheet>
