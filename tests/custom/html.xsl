<?xml version="1.0" encoding="UTF-8"?>
<!-- A customisation of cmctei's HTML pages, the way TEI Stylesheets are customised: import the
     base, override what differs. This folder is given to cmctei publish with its stylesheets
     option (see xslt/README.md). -->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:tei="http://www.tei-c.org/ns/1.0"
                xmlns="http://www.w3.org/1999/xhtml"
                exclude-result-prefixes="#all">

  <!-- cmctei's own html.xsl, wherever cmctei is installed -->
  <xsl:import href="cmctei:html.xsl"/>

  <!-- a parameter of the base, with another default -->
  <xsl:param name="site-title" select="'Our Archive'"/>

  <!-- the footer, replaced -->
  <xsl:template name="footer">
    <footer class="site">
      <p>Our Archive, Reading Room 2. Published with cmctei.</p>
    </footer>
  </xsl:template>

  <!-- one element rendered otherwise: persons' names in a span of their own, with what the
       base does for them (a link to the person index) kept inside -->
  <xsl:template match="tei:persName">
    <span class="our-person"><xsl:next-match/></span>
  </xsl:template>

</xsl:stylesheet>
