<?xml version="1.0" encoding="UTF-8"?>
<!--
  persons.xsl - the person index: everyone in the register, with the
  documents where they are named, write, sign, send, receive or speak.
  Input: the corpus summary built by cmctei/publish.py.
  Parameters: site-title (xs:string, default 'cmctei').
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="http://www.w3.org/1999/xhtml"
                exclude-result-prefixes="#all">
  <xsl:output method="html" html-version="5" encoding="UTF-8" include-content-type="no"/>
  <xsl:param name="site-title" as="xs:string" select="'cmctei'"/>
  <xsl:key name="roles" match="doc/role" use="@person"/>

  <xsl:template match="/corpus">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>Persons — <xsl:value-of select="$site-title"/></title>
        <link rel="stylesheet" href="cmctei.css"/>
      </head>
      <body class="persons">
        <header class="site">
          <a class="skip" href="#main">Skip to the persons</a>
          <nav aria-label="Site"><a href="index.html"><xsl:value-of select="$site-title"/>: documents</a> · <a href="persons.html">persons</a></nav>
        </header>
        <main id="main">
          <h1>Persons</h1>
          <p>Everyone in the person register, with the documents where they appear and how.</p>
          <xsl:for-each select="person">
            <xsl:sort select="@sort"/>
            <section id="{@id}" class="person" aria-labelledby="h-{@id}">
              <h2 id="h-{@id}"><xsl:value-of select="@name"/></h2>
              <xsl:if test="occupation"><p class="occupation"><xsl:value-of select="occupation"/></p></xsl:if>
              <xsl:if test="variant">
                <p class="variants">Printed as: <xsl:value-of select="string-join(variant, '; ')"/></p>
              </xsl:if>
              <xsl:variable name="roles" select="key('roles', @id)"/>
              <xsl:choose>
                <xsl:when test="$roles">
                  <ul>
                    <xsl:for-each-group select="$roles" group-by="../@id">
                      <xsl:sort select="current-group()[1]/../@date"/>
                      <li><a href="{current-grouping-key()}.html"><xsl:value-of select="current-group()[1]/../@title"/></a>
                        (<xsl:value-of select="current-group()[1]/../@date-label"/>):
                        <xsl:value-of select="string-join(distinct-values(current-group()/@role), ', ')"/></li>
                    </xsl:for-each-group>
                  </ul>
                </xsl:when>
                <xsl:otherwise><p>Not named in a published document.</p></xsl:otherwise>
              </xsl:choose>
            </section>
          </xsl:for-each>
        </main>
        <footer class="site"><p>Published with cmctei.</p></footer>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
