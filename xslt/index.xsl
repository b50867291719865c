<?xml version="1.0" encoding="UTF-8"?>
<!--
  index.xsl - the site's document index, from the corpus summary cmctei
  builds (<corpus><doc …/><person …/></corpus>, see cmctei/publish.py).

  Parameters:
    site-title  (xs:string, default 'cmctei')
    facet       (xs:string, default '')  'genre' or 'classification' to list
                only the documents whose facet equals…
    value       (xs:string, default '')  …this value (e.g. 'telegram').
  Filtering works without a server: every facet value has its own static
  page (index-genre-telegram.html …); cmctei.js only adds instant
  filtering on top, and the page works without it.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="http://www.w3.org/1999/xhtml"
                exclude-result-prefixes="#all">
  <xsl:output method="html" html-version="5" encoding="UTF-8" include-content-type="no"/>
  <xsl:param name="site-title" as="xs:string" select="'cmctei'"/>
  <xsl:param name="facet" as="xs:string" select="''"/>
  <xsl:param name="value" as="xs:string" select="''"/>

  <xsl:template match="/corpus">
    <xsl:variable name="docs" select="doc[$facet = '' or @*[local-name() = $facet] = $value]"/>
    <xsl:variable name="label" select="(doc/@*[local-name() = $facet || '-label'][../@*[local-name() = $facet] = $value])[1]"/>
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="if ($facet) then $label || ' — ' else ''"/>Documents — <xsl:value-of select="$site-title"/></title>
        <link rel="stylesheet" href="cmctei.css"/>
        <script src="cmctei.js" defer="defer"></script>
      </head>
      <body class="index">
        <header class="site">
          <a class="skip" href="#main">Skip to the documents</a>
          <nav aria-label="Site"><a href="index.html"><xsl:value-of select="$site-title"/>: documents</a> · <a href="persons.html">persons</a></nav>
        </header>
        <main id="main">
          <h1>Documents<xsl:if test="$facet">: <xsl:value-of select="$label"/></xsl:if></h1>
          <p><xsl:value-of select="count($docs)"/> of <xsl:value-of select="count(doc)"/> documents, in date order.</p>
          <nav class="facets" aria-label="Filter">
            <xsl:for-each select="('genre', 'classification')">
              <xsl:variable name="f" select="."/>
              <p><xsl:value-of select="upper-case(substring($f, 1, 1)) || substring($f, 2)"/>:
                <a href="index.html">all</a>
                <xsl:for-each-group select="$docs/../doc" group-by="@*[local-name() = $f]">
                  <xsl:sort select="current-grouping-key()"/>
                  <xsl:text> · </xsl:text>
                  <a href="index-{$f}-{current-grouping-key()}.html">
                    <xsl:value-of select="(current-group()/@*[local-name() = $f || '-label'])[1]"/>
                    (<xsl:value-of select="count(current-group())"/>)</a>
                </xsl:for-each-group>
              </p>
            </xsl:for-each>
            <p class="enhanced" hidden="hidden"><label for="filter">Filter this list: </label><input id="filter" type="search"/></p>
          </nav>
          <table class="documents">
            <caption class="visually-hidden">Documents</caption>
            <thead><tr><th scope="col">Date</th><th scope="col">Genre</th><th scope="col">Classification</th><th scope="col">Title</th></tr></thead>
            <tbody>
              <xsl:for-each select="$docs">
                <xsl:sort select="@date"/>
                <xsl:sort select="@id"/>
                <tr data-genre="{@genre}" data-classification="{@classification}">
                  <td><xsl:choose>
                    <xsl:when test="matches(@date, '^\d{4}(-\d{2}(-\d{2})?)?$')"><time datetime="{@date}"><xsl:value-of select="@date-label"/></time></xsl:when>
                    <xsl:otherwise><xsl:value-of select="@date-label"/></xsl:otherwise></xsl:choose></td>
                  <td><xsl:value-of select="@genre-label"/></td>
                  <td><span class="level level-{@classification}"><xsl:value-of select="(@banner[normalize-space()], @classification-label)[1]"/></span></td>
                  <td><a href="{@id}.html"><xsl:value-of select="@title"/></a></td>
                </tr>
              </xsl:for-each>
            </tbody>
          </table>
        </main>
        <footer class="site"><p>Published with cmctei.</p></footer>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
