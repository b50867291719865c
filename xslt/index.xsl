<?xml version="1.0" encoding="UTF-8"?>
<!--
  index.xsl - the collection page (index.html) and its index pages by genre and
  by classification, from the corpus summary cmctei builds (<corpus><doc …/>
  <person …/></corpus>, see cmctei/site.py).

  The collection page says what the collection is (collection-description, and
  what the documents themselves show: how many, of which kinds, from when to
  when), offers the whole collection for download (TEI, citations), and lists
  the primary documents and the secondary sources (cm:secondary-genres,
  site.xsl) apart, each in date order, with who wrote to whom.

  Parameters:
    site-title  (xs:string, default 'cmctei')
    collection-description (xs:string, default '')  a sentence or two saying
                what the collection is, shown first on the collection page; a
                customisation sets it. Empty: only the facts the documents give.
    facet       (xs:string, default '')  'genre' or 'classification' to list
                only the documents whose facet equals…
    value       (xs:string, default '')  …this value (e.g. 'telegram').
  Filtering works without a server: every facet value has its own static
  page (index-genre-telegram.html …); cmctei.js only adds instant
  filtering on top, and the page works without it.
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:cm="urn:cmctei"
                xmlns="http://www.w3.org/1999/xhtml"
                exclude-result-prefixes="#all">
  <xsl:include href="common.xsl"/>
  <xsl:include href="site.xsl"/>
  <xsl:output method="html" html-version="5" encoding="UTF-8" include-content-type="no"/>
  <xsl:param name="site-title" as="xs:string" select="'cmctei'"/>
  <xsl:param name="collection-description" as="xs:string" select="''"/>
  <xsl:param name="facet" as="xs:string" select="''"/>
  <xsl:param name="value" as="xs:string" select="''"/>

  <xsl:template match="/corpus">
    <xsl:variable name="docs" select="doc[$facet = '' or @*[local-name() = $facet] = $value]"/>
    <xsl:variable name="label" select="(doc/@*[local-name() = $facet || '-label'][../@*[local-name() = $facet] = $value])[1]"/>
    <xsl:variable name="primary" select="$docs[not(cm:is-secondary(@genre))]"/>
    <xsl:variable name="secondary" select="$docs[cm:is-secondary(@genre)]"/>
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="if ($facet) then $label || ' — Documents — ' else ''"/><xsl:value-of select="$site-title"/></title>
        <link rel="stylesheet" href="cmctei.css"/>
        <script src="cmctei.js" defer="defer"></script>
      </head>
      <body class="index">
        <header class="site">
          <a class="skip" href="#main">Skip to the documents</a>
          <xsl:call-template name="cm:site-nav">
            <xsl:with-param name="current" select="if ($facet) then '' else 'collection'"/>
          </xsl:call-template>
        </header>
        <main id="main">
          <xsl:choose>
            <xsl:when test="$facet">
              <h1>Documents: <xsl:value-of select="$label"/></h1>
              <p><xsl:value-of select="count($docs)"/> of <xsl:value-of select="count(doc)"/> documents, in date order.
                <a href="index.html">The whole collection</a>.</p>
            </xsl:when>
            <xsl:otherwise>
              <h1><xsl:value-of select="$site-title"/></h1>
              <xsl:call-template name="about-the-collection"/>
            </xsl:otherwise>
          </xsl:choose>
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
            <p class="enhanced" hidden="hidden"><label for="filter">Filter these lists: </label><input id="filter" type="search"/></p>
          </nav>
          <xsl:if test="$primary">
            <section id="primary" aria-labelledby="primary-heading">
              <h2 id="primary-heading">Primary documents</h2>
              <xsl:call-template name="table">
                <xsl:with-param name="docs" select="$primary"/>
                <xsl:with-param name="caption" select="'Primary documents'"/>
              </xsl:call-template>
            </section>
          </xsl:if>
          <xsl:if test="$secondary">
            <section id="secondary" aria-labelledby="secondary-heading">
              <h2 id="secondary-heading">Secondary sources</h2>
              <p>Books and articles about the documents, published later: listed apart from the documents they discuss.</p>
              <xsl:call-template name="table">
                <xsl:with-param name="docs" select="$secondary"/>
                <xsl:with-param name="caption" select="'Secondary sources'"/>
              </xsl:call-template>
            </section>
          </xsl:if>
        </main>
        <footer class="site"><p>Published with cmctei.</p></footer>
      </body>
    </html>
  </xsl:template>

  <!-- What the collection is: the description given, then what the documents show. -->
  <xsl:template name="about-the-collection">
    <xsl:variable name="primary" select="doc[not(cm:is-secondary(@genre))]"/>
    <xsl:variable name="dated" select="$primary[matches(@date, '^\d{4}')]"/>
    <xsl:variable name="secondary" select="doc[cm:is-secondary(@genre)]"/>
    <section class="collection" aria-labelledby="collection-heading">
      <h2 id="collection-heading" class="visually-hidden">About the collection</h2>
      <xsl:if test="normalize-space($collection-description)">
        <p class="description"><xsl:value-of select="normalize-space($collection-description)"/></p>
      </xsl:if>
      <p class="counts">
        <xsl:value-of select="cm:count(count(doc), 'document')"/>:
        <xsl:value-of select="cm:count(count($primary), 'primary document')"/>
        <xsl:if test="$dated">
          <xsl:variable name="first" select="min($dated/@date ! string(.))"/>
          <xsl:variable name="last" select="max($dated/@date ! string(.))"/>
          <xsl:text>, dated from </xsl:text>
          <time datetime="{$first}"><xsl:value-of select="($dated[@date = $first]/@date-label)[1]"/></time>
          <xsl:text> to </xsl:text>
          <time datetime="{$last}"><xsl:value-of select="($dated[@date = $last]/@date-label)[1]"/></time>
          <xsl:if test="count($dated) lt count($primary)"> (<xsl:value-of select="count($primary) - count($dated)"/> undated)</xsl:if>
        </xsl:if>
        <xsl:if test="$secondary">, and <xsl:value-of select="cm:count(count($secondary), 'secondary source')"/></xsl:if>
        <xsl:text>. </xsl:text>
        <xsl:if test="person">
          <xsl:text>The </xsl:text><a href="persons.html">person index</a> lists the
          <xsl:value-of select="count(person)"/> persons of the register and the documents where each speaks, writes,
          receives or is named.
        </xsl:if>
      </p>
      <p class="downloads">The whole collection: <a href="tei.zip" type="application/zip">TEI (zip, with the register and the schemas)</a>;
        citations as <a href="cite/all.bib">BibTeX</a>, <a href="cite/all.ris">RIS</a> and
        <a href="cite/all.json">CSL-JSON</a>.</p>
    </section>
  </xsl:template>

  <xsl:function name="cm:count" as="xs:string">
    <xsl:param name="n" as="xs:integer"/>
    <xsl:param name="noun" as="xs:string"/>
    <xsl:sequence select="$n || ' ' || $noun || (if ($n = 1) then '' else 's')"/>
  </xsl:function>

  <xsl:template name="table">
    <xsl:param name="docs" as="element(doc)*"/>
    <xsl:param name="caption" as="xs:string"/>
    <table class="documents">
      <caption class="visually-hidden"><xsl:value-of select="$caption"/></caption>
      <thead><tr><th scope="col">Date</th><th scope="col">Title</th><th scope="col">From</th><th scope="col">To</th>
        <th scope="col">Genre</th><th scope="col">Classification</th></tr></thead>
      <tbody>
        <xsl:for-each select="$docs">
          <xsl:sort select="@date"/>
          <xsl:sort select="@id"/>
          <tr data-genre="{@genre}" data-classification="{@classification}">
            <td><xsl:choose>
              <xsl:when test="matches(@date, '^\d{4}(-\d{2}(-\d{2})?)?$')"><time datetime="{@date}"><xsl:value-of select="@date-label"/></time></xsl:when>
              <xsl:otherwise><xsl:value-of select="@date-label"/></xsl:otherwise></xsl:choose></td>
            <td><a href="{@id}.html"><xsl:value-of select="cm:summary-title(.)"/></a></td>
            <td><xsl:apply-templates select="corresp[@type = 'sent']" mode="corresp"/></td>
            <td><xsl:apply-templates select="corresp[@type = 'received']" mode="corresp"/></td>
            <td><xsl:value-of select="@genre-label"/></td>
            <td><span class="level level-{@classification}"><xsl:choose>
              <!-- printed with struck words: struck here too (a struck TOP SECRET is not the level) -->
              <xsl:when test="banner"><xsl:apply-templates select="banner/node()" mode="banner"/></xsl:when>
              <xsl:otherwise><xsl:value-of select="(@banner[normalize-space()], @classification-label)[1]"/></xsl:otherwise>
            </xsl:choose></span></td>
          </tr>
        </xsl:for-each>
      </tbody>
    </table>
  </xsl:template>

  <xsl:template match="del" mode="banner"><del><xsl:value-of select="."/></del></xsl:template>

  <xsl:template match="corresp" mode="corresp">
    <xsl:if test="position() gt 1">; </xsl:if>
    <xsl:variable name="name" select="replace(cm:summary-name(.), '^the ', '')"/>
    <xsl:choose>
      <xsl:when test="@person and key('cm:corpus-person', string(@person))">
        <a href="persons.html#{@person}"><xsl:value-of select="$name"/></a>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$name"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
