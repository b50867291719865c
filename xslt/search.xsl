<?xml version="1.0" encoding="UTF-8"?>
<!--
  search.xsl - the site's search page (search.html), from the corpus summary
  cmctei builds (<corpus><doc …/><person …/></corpus>, see cmctei/site.py).

  The search itself is Pagefind's index of the document pages (build/html/pagefind/,
  made by cmctei publish, see cmctei/search.py), read by search.js: full text, with
  genre, classification, year, kind and person as filters. It runs wherever the site is
  served over http(s), by any static file server. The form works without JavaScript
  only as far as HTML can: the page then says that searching needs JavaScript and
  leads to the index, where every document is listed.

  Parameters: site-title (xs:string, default 'cmctei').
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:cm="urn:cmctei"
                xmlns="http://www.w3.org/1999/xhtml" exclude-result-prefixes="#all">
  <xsl:include href="common.xsl"/>
  <xsl:include href="site.xsl"/>
  <xsl:output method="html" html-version="5" encoding="UTF-8" include-content-type="no"/>
  <xsl:param name="site-title" as="xs:string" select="'cmctei'"/>

  <xsl:template match="/corpus">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>Search — <xsl:value-of select="$site-title"/></title>
        <link rel="stylesheet" href="cmctei.css"/>
        <script src="search.js" defer="defer"></script>
      </head>
      <body class="search">
        <header class="site">
          <xsl:call-template name="cm:site-nav">
            <xsl:with-param name="current" select="'search'"/>
          </xsl:call-template>
        </header>
        <main id="main">
          <h1>Search the documents</h1>
          <form class="search-page" role="search" action="search.html" method="get">
            <p><label for="q">Words to find</label><xsl:text> </xsl:text>
              <input id="q" name="q" type="search"/><xsl:text> </xsl:text>
              <button type="submit">Search</button></p>
            <div id="search-filters" class="search-filters"></div>
          </form>
          <p class="search-status" id="search-status" role="status" aria-live="polite">
            <xsl:text>Searching needs JavaScript, which is off or has not loaded. Every document is listed, with its date, genre and people, in </xsl:text>
            <a href="index.html">the collection's index</a>
            <xsl:text>; the people are listed in </xsl:text><a href="persons.html">the person index</a>.
          </p>
          <ol id="search-results" class="search-results"></ol>
          <p class="search-about">The search covers the full text of the <xsl:value-of select="count(doc)"/> documents of the
            collection: their headers, notes and the text as printed, with filters by genre, classification, year,
            kind of document and the persons of the register who speak, write, receive or are named in them.</p>
        </main>
        <footer class="site"><p>Published with cmctei.</p></footer>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
