<?xml version="1.0" encoding="UTF-8"?>
<!--
  sequence.xsl - the previous/next links of every document page, from the corpus
  summary cmctei builds (<corpus><doc …/></corpus>, see cmctei/site.py).

  Primary documents are walked in date order (then by id), secondary sources
  (cm:secondary-genres, site.xsl) apart, in the same order. cmctei puts each
  document's links into the slots its page left for them (site.xsl,
  cm:sequence-slot), so a page whose neighbours change (a document added,
  removed or redated) is updated without being transformed again.

  Parameters: site-title (xs:string, default 'cmctei'), cm:secondary-genres.
  Output: JSON, { "<docid>": { "top": "<nav …>", "bottom": "<nav …>" } }.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:cm="urn:cmctei"
                xmlns:map="http://www.w3.org/2005/xpath-functions/map"
                exclude-result-prefixes="#all">
  <xsl:include href="common.xsl"/>
  <xsl:include href="site.xsl"/>
  <xsl:output method="json" indent="no" encoding="UTF-8"/>
  <xsl:param name="site-title" as="xs:string" select="'cmctei'"/>

  <xsl:template match="/corpus">
    <xsl:variable name="entries" as="map(*)*">
      <xsl:for-each-group select="doc" group-by="cm:is-secondary(@genre)">
        <xsl:variable name="walk" as="element(doc)*">
          <xsl:perform-sort select="current-group()">
            <xsl:sort select="@date"/>
            <xsl:sort select="@id"/>
          </xsl:perform-sort>
        </xsl:variable>
        <xsl:variable name="kind" select="if (current-grouping-key()) then 'secondary source' else 'primary document'"/>
        <xsl:for-each select="$walk">
          <xsl:variable name="i" select="position()"/>
          <xsl:sequence select="map:entry(string(@id), map {
            'top': serialize(cm:sequence-nav($walk, $i, $kind, 'top'), map {'method': 'html', 'html-version': 5}),
            'bottom': serialize(cm:sequence-nav($walk, $i, $kind, 'bottom'), map {'method': 'html', 'html-version': 5})})"/>
        </xsl:for-each>
      </xsl:for-each-group>
    </xsl:variable>
    <xsl:sequence select="map:merge($entries)"/>
  </xsl:template>

  <xsl:function name="cm:sequence-nav" as="element()">
    <xsl:param name="walk" as="element(doc)*"/>
    <xsl:param name="i" as="xs:integer"/>
    <xsl:param name="kind" as="xs:string"/>
    <xsl:param name="where" as="xs:string"/>
    <xsl:variable name="previous" select="$walk[$i - 1]"/>
    <xsl:variable name="next" select="$walk[$i + 1]"/>
    <nav class="sequence sequence-{$where}"
         aria-label="{if ($where = 'top') then 'Previous and next' else 'Previous and next (end of the document)'}">
      <xsl:if test="$previous">
        <a href="{$previous/@id}.html" rel="prev">← Previous: <xsl:value-of select="cm:summary-title($previous)"/> (<xsl:value-of select="$previous/@date-label"/>)</a>
        <xsl:text> · </xsl:text>
      </xsl:if>
      <span class="position"><xsl:value-of select="$kind"/><xsl:text> </xsl:text><xsl:value-of select="$i"/> of <xsl:value-of select="count($walk)"/></span>
      <xsl:if test="$next">
        <xsl:text> · </xsl:text>
        <a href="{$next/@id}.html" rel="next">Next: <xsl:value-of select="cm:summary-title($next)"/> (<xsl:value-of select="$next/@date-label"/>) →</a>
      </xsl:if>
    </nav>
  </xsl:function>
</xsl:stylesheet>
