<?xml version="1.0" encoding="UTF-8"?>
<!--
  html.xsl - one TEI document as an HTML5 page of the cmctei site.

  Parameters:
    site-title   (xs:string, default 'cmctei')  name shown in the site header.
    css          (xs:string, default 'cmctei.css')  stylesheet link.
    tei-href     (xs:string)  link to the TEI source (default 'tei/{docid}.xml').
    text-href    (xs:string)  link to the plain text (default '../text/{docid}.txt').
    cite-base    (xs:string)  citation files without extension (default '../cite/{docid}').
    cite         (document-node()?)  the Chicago note as HTML (<cite><note>…</note></cite>),
                 made by cite.xsl; shown in "Cite this document".
    canonical-url (xs:string, default '')  the page's address on the published site
                 (declared in citation.xsl): <link rel="canonical"> and the citation URL.
                 Empty: neither.

  What the page shows, beyond the text:
    - the classification banner at top and bottom as the document bears it
      (print CSS repeats it on every printed page), handling caveats and the
      declassification stamps;
    - the header: title, date, genre, source, translator, sender/recipient
      or participants;
    - page furniture (fw) as furniture, never run into the text; page
      breaks in the margin;
    - footnotes as real notes (doc-noteref / doc-backlink), and notes whose
      text is not transcribed say so;
    - every gap with its reason and extent, inaudible and doubtful speech,
      editorial insertions, deletions as <del>;
    - speaker turns linked to the person index, tape times as #t=… anchors.
  Unknown elements render as their content; pointers that do not resolve
  stay as text. No file or URL is ever read.
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns:tei="http://www.tei-c.org/ns/1.0"
                xmlns:cm="urn:cmctei"
                xmlns:c="urn:cmctei:citation"
                xmlns:map="http://www.w3.org/2005/xpath-functions/map"
                xmlns="http://www.w3.org/1999/xhtml"
                exclude-result-prefixes="#all">

  <xsl:include href="common.xsl"/>
  <xsl:include href="citation.xsl"/>
  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no" include-content-type="no"/>

  <xsl:param name="site-title" as="xs:string" select="'cmctei'"/>
  <xsl:param name="css" as="xs:string" select="'cmctei.css'"/>
  <xsl:param name="tei-href" as="xs:string?" select="()"/>
  <xsl:param name="text-href" as="xs:string?" select="()"/>
  <xsl:param name="cite-base" as="xs:string?" select="()"/>
  <xsl:param name="cite" as="document-node()?" select="()"/>

  <xsl:variable name="root" select="(/tei:TEI, /*)[1]"/>
  <xsl:variable name="docid" select="cm:docid($root)"/>

  <xsl:template match="/">
    <xsl:variable name="title" select="cm:title($root)"/>
    <xsl:variable name="banner" select="cm:banner($root)"/>
    <xsl:variable name="level" select="(cm:category($root, 'classification')[.], 'unmarked')[1]"/>
    <html lang="{($root/@xml:lang, $root/tei:text/@xml:lang, 'en')[1]}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> — <xsl:value-of select="$site-title"/></title>
        <link rel="stylesheet" href="{$css}"/>
        <xsl:call-template name="metadata"/>
      </head>
      <body class="document level-{$level}">
        <xsl:if test="$banner">
          <div class="banner banner-top level-{$level}" role="note" aria-label="Classification">
            <xsl:apply-templates select="($root/tei:text//tei:fw[@type = 'classification'])[1]/node()"/>
            <xsl:if test="not($root/tei:text//tei:fw[@type = 'classification'])"><xsl:value-of select="$banner"/></xsl:if>
          </div>
        </xsl:if>
        <header class="site">
          <a class="skip" href="#text">Skip to the text</a>
          <nav aria-label="Site">
            <a href="index.html"><xsl:value-of select="$site-title"/>: documents</a>
            <xsl:text> · </xsl:text>
            <a href="persons.html">persons</a>
          </nav>
        </header>
        <main>
          <article>
            <h1><xsl:value-of select="$title"/></h1>
            <xsl:call-template name="about"/>
            <xsl:call-template name="downloads"/>
            <section id="text" class="text" aria-label="Text of the document">
              <xsl:apply-templates select="$root/tei:text"/>
            </section>
            <xsl:call-template name="notes"/>
            <xsl:if test="$cite">
              <section class="cite" aria-labelledby="cite-heading">
                <h2 id="cite-heading">Cite this document</h2>
                <p class="chicago-note"><xsl:copy-of select="$cite/*/node()"/></p>
              </section>
            </xsl:if>
          </article>
        </main>
        <footer class="site">
          <p>Published with cmctei from the TEI master <code><xsl:value-of select="$docid"/>.xml</code>.</p>
        </footer>
        <xsl:if test="$banner">
          <div class="banner banner-bottom level-{$level}" role="note" aria-label="Classification">
            <xsl:value-of select="$banner"/>
          </div>
        </xsl:if>
      </body>
    </html>
  </xsl:template>

  <!-- ============================================================ head metadata -->

  <!-- The citation facts of citation.xsl, as the tags Zotero's Embedded Metadata translator
       (and Google Scholar) read: citation_* (Highwire Press) and DC.* (Dublin Core, read
       through Zotero's RDF import). Which tag says what, and what no tag can say, is in
       docs/citations.md. -->
  <xsl:function name="c:meta-name" as="xs:string">
    <xsl:param name="name" as="map(*)"/>
    <xsl:param name="alone" as="xs:boolean"/>
    <!-- Zotero splits "Family, Given" at the comma; a name without a comma at its last space,
         so a body's name ends with a comma (Zotero drops it and keeps the name whole). One
         name alone whose both sides of the comma hold a space would be read as two names:
         a closing ";" stops that. -->
    <xsl:sequence select="if (map:contains($name, 'literal')) then $name?literal || ','
      else c:inverted($name) || (if ($alone and contains($name?family, ' ') and contains($name?given, ' ')) then ';' else '')"/>
  </xsl:function>

  <xsl:template name="metadata">
    <meta name="citation_title" content="{$c:item-title}"/>
    <xsl:for-each select="$c:authors">
      <meta name="citation_author" content="{c:meta-name(., count($c:authors) = 1)}"/>
    </xsl:for-each>
    <xsl:for-each select="$c:editors">
      <meta name="citation_editor" content="{c:meta-name(., count($c:editors) = 1)}"/>
    </xsl:for-each>
    <!-- the date of the item: an edition's year for what it printed, else the document's -->
    <xsl:variable name="date" select="if ($c:bibl) then $c:year else $c:date"/>
    <xsl:if test="$date">
      <meta name="citation_date" content="{translate($date, '-', '/')}"/>
    </xsl:if>
    <xsl:if test="$c:bibl">
      <meta name="citation_book_title" content="{($c:volume-title[.], $c:book)[1]}"/>
      <xsl:if test="$c:volume-title"><meta name="citation_series_title" content="{$c:book}"/></xsl:if>
      <xsl:if test="$c:volume"><meta name="citation_volume" content="{($c:volume-number[.], $c:volume)[1]}"/></xsl:if>
      <xsl:if test="$c:publisher"><meta name="citation_publisher" content="{$c:publisher}"/></xsl:if>
      <xsl:if test="not($c:docno) and matches($c:pages, '^\S+\s*[-–]+\s*\S+$')">
        <meta name="citation_firstpage" content="{replace($c:pages, '\s*[-–].*$', '')}"/>
        <meta name="citation_lastpage" content="{replace($c:pages, '^.*[-–]\s*', '')}"/>
      </xsl:if>
    </xsl:if>
    <meta name="citation_language" content="{$c:language}"/>
    <xsl:if test="$canonical-url">
      <meta name="citation_public_url" content="{$canonical-url}"/>
      <link rel="canonical" href="{$canonical-url}"/>
    </xsl:if>
    <meta name="DC.type" content="{if ($c:bibl) then 'bookSection' else if ($c:route = 'letter') then 'letter' else 'manuscript'}"/>
    <meta name="DC.title" content="{$c:item-title}"/>
    <xsl:for-each select="$c:authors">
      <meta name="DC.creator" content="{c:inverted(.)}"/>
    </xsl:for-each>
    <xsl:if test="$c:date">
      <meta name="DC.date" content="{$c:date}"/>
    </xsl:if>
    <meta name="DC.identifier" content="{($canonical-url[.], $docid)[1]}"/>
    <meta name="DC.language" content="{$c:language}"/>
    <xsl:if test="cm:category($root, 'genre')">
      <meta name="DC.subject" content="{cm:category-label($root, 'genre')}"/>
    </xsl:if>
    <xsl:variable name="archive" select="string-join(($c:archive-location, $c:archive, $c:archive-place)[.], ', ')"/>
    <xsl:if test="$archive"><meta name="DC.source" content="{$archive}"/></xsl:if>
  </xsl:template>

  <!-- ============================================================ about -->

  <xsl:template name="about">
    <xsl:variable name="header" select="$root/tei:teiHeader"/>
    <dl class="about">
      <xsl:if test="cm:date($root)">
        <dt>Date</dt>
        <dd><time datetime="{cm:date($root)}"><xsl:value-of select="cm:date-long(cm:date($root))"/></time>
          <xsl:if test="$header//tei:creation/tei:date/@cert = 'low'"> (approximate)</xsl:if></dd>
      </xsl:if>
      <xsl:if test="cm:category($root, 'genre')">
        <dt>Genre</dt><dd><xsl:value-of select="cm:category-label($root, 'genre')"/></dd>
      </xsl:if>
      <xsl:if test="cm:category($root, 'classification')">
        <dt>Classification</dt>
        <dd><xsl:value-of select="cm:category-label($root, 'classification')"/>
          <xsl:if test="cm:handling($root)"> — <xsl:value-of select="string-join(cm:handling($root), ', ')"/></xsl:if></dd>
      </xsl:if>
      <xsl:for-each select="$header//tei:correspAction">
        <dt><xsl:value-of select="if (@type = 'sent') then 'From' else if (@type = 'received') then 'To' else @type"/></dt>
        <dd><xsl:apply-templates select="*" mode="name"/></dd>
      </xsl:for-each>
      <xsl:if test="$header//tei:particDesc//(tei:person | tei:personGrp)">
        <dt>Participants</dt>
        <dd>
          <xsl:for-each select="$header//tei:particDesc//(tei:person | tei:personGrp)">
            <xsl:if test="position() gt 1">, </xsl:if>
            <xsl:variable name="id" select="cm:person-id(., '#' || @xml:id)"/>
            <xsl:variable name="name" select="normalize-space((tei:persName, tei:name, @xml:id)[1])"/>
            <xsl:choose>
              <xsl:when test="$id"><a href="persons.html#{$id}"><xsl:value-of select="$name"/></a></xsl:when>
              <xsl:otherwise><xsl:value-of select="$name"/></xsl:otherwise>
            </xsl:choose>
          </xsl:for-each>
        </dd>
      </xsl:if>
      <xsl:for-each select="$header//tei:titleStmt/tei:respStmt">
        <dt><xsl:value-of select="concat(upper-case(substring(normalize-space(tei:resp), 1, 1)), substring(normalize-space(tei:resp), 2))"/></dt>
        <dd><xsl:value-of select="normalize-space(string-join((tei:persName, tei:name), ', '))"/></dd>
      </xsl:for-each>
      <xsl:for-each select="$header//tei:sourceDesc/*">
        <dt>Source</dt>
        <dd><xsl:apply-templates select="." mode="source"/></dd>
      </xsl:for-each>
      <xsl:if test="$header//tei:availability">
        <dt>Declassification</dt>
        <dd><xsl:apply-templates select="$header//tei:availability/tei:p/node()"/></dd>
      </xsl:if>
    </dl>
  </xsl:template>

  <xsl:template match="tei:persName | tei:name" mode="name">
    <xsl:if test="preceding-sibling::*">, </xsl:if>
    <xsl:variable name="id" select="cm:person-id(., string(@ref))"/>
    <xsl:choose>
      <xsl:when test="$id"><a href="persons.html#{$id}"><xsl:value-of select="normalize-space(.)"/></a></xsl:when>
      <xsl:otherwise><xsl:value-of select="normalize-space(.)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="*" mode="name"/>

  <xsl:template match="tei:biblStruct" mode="source">
    <xsl:variable name="m" select="tei:monogr"/>
    <xsl:if test="tei:analytic/tei:title">
      <xsl:text>“</xsl:text><xsl:value-of select="normalize-space(tei:analytic/tei:title[1])"/><xsl:text>,” in </xsl:text>
    </xsl:if>
    <cite><xsl:value-of select="normalize-space(($m/tei:title[@type = 'main'], $m/tei:title)[1])"/></cite>
    <xsl:for-each select="$m/tei:biblScope[@unit = 'volume']">, vol. <xsl:value-of select="normalize-space(.)"/></xsl:for-each>
    <xsl:for-each select="$m/tei:title[@type = 'sub']">, <cite><xsl:value-of select="normalize-space(.)"/></cite></xsl:for-each>
    <xsl:if test="$m/tei:editor">, ed. <xsl:value-of select="string-join($m/tei:editor/normalize-space(), ' and ')"/></xsl:if>
    <xsl:variable name="imprint" select="string-join(($m/tei:imprint/tei:pubPlace, $m/tei:imprint/tei:publisher, $m/tei:imprint/tei:date)/normalize-space(), ', ')"/>
    <xsl:if test="$imprint"> (<xsl:value-of select="$imprint"/>)</xsl:if>
    <xsl:for-each select="$m/tei:biblScope[@unit = 'document']">, document <xsl:value-of select="normalize-space(.)"/></xsl:for-each>
    <xsl:for-each select="$m/tei:biblScope[@unit = 'page']">, pages <xsl:value-of select="normalize-space(.)"/></xsl:for-each>
  </xsl:template>

  <xsl:template match="tei:msDesc" mode="source">
    <xsl:value-of select="string-join(tei:msIdentifier/*/normalize-space(), ', ')"/>
  </xsl:template>

  <xsl:template match="tei:recordingStmt" mode="source">
    <xsl:value-of select="string-join(.//tei:recording/normalize-space(), '; ')"/> (audio recording)
  </xsl:template>

  <xsl:template match="*" mode="source">
    <xsl:value-of select="normalize-space(.)"/>
  </xsl:template>

  <xsl:template name="downloads">
    <nav class="downloads" aria-label="Downloads">
      <a href="{($tei-href, 'tei/' || $docid || '.xml')[1]}" type="application/tei+xml">TEI source</a>
      <xsl:text> · </xsl:text>
      <a href="{($text-href, '../text/' || $docid || '.txt')[1]}" type="text/plain">plain text</a>
      <xsl:variable name="cite" select="($cite-base, '../cite/' || $docid)[1]"/>
      <xsl:text> · citation: </xsl:text>
      <a href="{$cite}.txt">Chicago</a><xsl:text>, </xsl:text>
      <a href="{$cite}.json">CSL-JSON</a><xsl:text>, </xsl:text>
      <a href="{$cite}.bib">BibTeX</a><xsl:text>, </xsl:text>
      <a href="{$cite}.ris">RIS</a>
    </nav>
  </xsl:template>

  <!-- ============================================================ notes -->

  <xsl:function name="cm:note-id" as="xs:string">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="'fn-' || $note/accumulator-before('cm:text-notes')"/>
  </xsl:function>

  <xsl:template name="notes">
    <xsl:variable name="notes" select="$root/tei:text//tei:note"/>
    <xsl:if test="$notes">
      <section class="notes" aria-labelledby="notes-heading">
        <h2 id="notes-heading">Notes</h2>
        <ol class="notes">
          <xsl:for-each select="$notes">
            <li id="{cm:note-id(.)}" value="{if (@n castable as xs:integer) then @n else position()}">
              <span class="note-label"><xsl:value-of select="if (@type = 'source') then 'Source note' else cm:footnote-key(.)"/></span>
              <xsl:text> </xsl:text>
              <xsl:choose>
                <xsl:when test="not(normalize-space(.)) and tei:gap[@reason = 'not-transcribed']">
                  <span class="not-transcribed">The text of this note is not transcribed in the source.</span>
                </xsl:when>
                <xsl:otherwise>
                  <xsl:apply-templates/>
                </xsl:otherwise>
              </xsl:choose>
              <xsl:text> </xsl:text>
              <a href="#ref-{cm:note-id(.)}" role="doc-backlink" class="backlink"
                 aria-label="Back to the reference of note {cm:footnote-key(.)}">↩</a>
            </li>
          </xsl:for-each>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:note">
    <a class="noteref" id="ref-{cm:note-id(.)}" href="#{cm:note-id(.)}" role="doc-noteref"
       aria-label="Note {cm:footnote-key(.)}"><sup><xsl:value-of select="cm:footnote-key(.)"/></sup></a>
  </xsl:template>

  <!-- ============================================================ structure -->

  <xsl:template match="tei:teiHeader | tei:timeline"/>

  <xsl:template match="tei:text | tei:body | tei:front | tei:back">
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template match="tei:div">
    <section class="div div-{(@type, 'div')[1]}">
      <xsl:if test="@type = 'headnote'"><xsl:attribute name="aria-label">Headnote</xsl:attribute></xsl:if>
      <xsl:apply-templates/>
    </section>
  </xsl:template>

  <xsl:template match="tei:head">
    <xsl:variable name="level" select="min((6, max((2, count(ancestor::tei:div[tei:head]) + 1))))"/>
    <xsl:element name="h{$level}">
      <xsl:attribute name="class">head</xsl:attribute>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <!-- A paragraph that holds blocks (lists, tables, block quotations) cannot be an HTML p. -->
  <xsl:template match="tei:p | tei:ab">
    <xsl:variable name="blocky" select="exists(.//(tei:list | tei:table | tei:quote[@rend = 'block'] | tei:lg | tei:p | tei:figure | tei:cit)[not(ancestor::tei:note)])"/>
    <xsl:element name="{if ($blocky) then 'div' else 'p'}">
      <xsl:attribute name="class" select="local-name() || (if ($blocky) then ' p' else '')"/>
      <xsl:apply-templates/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:opener | tei:closer">
    <div class="{local-name()}"><xsl:apply-templates/></div>
  </xsl:template>

  <xsl:template match="tei:dateline | tei:salute | tei:signed | tei:byline | tei:docDate | tei:trailer">
    <p class="{local-name()}"><xsl:apply-templates/></p>
  </xsl:template>

  <xsl:template match="tei:quote[@rend = 'block'] | tei:cit">
    <blockquote><xsl:apply-templates/></blockquote>
  </xsl:template>

  <xsl:template match="tei:quote | tei:q | tei:said">
    <span class="quote"><xsl:apply-templates/></span>
  </xsl:template>

  <xsl:template match="tei:list">
    <ul class="list"><xsl:apply-templates/></ul>
  </xsl:template>
  <xsl:template match="tei:list/tei:item">
    <li><xsl:apply-templates/></li>
  </xsl:template>
  <xsl:template match="tei:list/tei:head | tei:list/tei:label">
    <li class="{local-name()}"><xsl:apply-templates/></li>
  </xsl:template>

  <xsl:template match="tei:table">
    <table><xsl:apply-templates select="tei:row"/></table>
  </xsl:template>
  <xsl:template match="tei:row"><tr><xsl:apply-templates select="tei:cell"/></tr></xsl:template>
  <xsl:template match="tei:cell"><td><xsl:apply-templates/></td></xsl:template>

  <xsl:template match="tei:lg"><div class="lg"><xsl:apply-templates/></div></xsl:template>
  <xsl:template match="tei:l"><span class="l"><xsl:apply-templates/></span><br/></xsl:template>
  <xsl:template match="tei:lb"><br/></xsl:template>

  <!-- ============================================================ speech -->

  <xsl:template match="tei:sp">
    <div class="sp">
      <xsl:variable name="id" select="cm:person-id(., string(@who))"/>
      <xsl:choose>
        <xsl:when test="$id">
          <a class="speaker" href="persons.html#{$id}"><xsl:apply-templates select="tei:speaker/node()"/></a>
        </xsl:when>
        <xsl:otherwise>
          <span class="speaker"><xsl:apply-templates select="tei:speaker/node()"/></span>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:text> </xsl:text>
      <div class="speech"><xsl:apply-templates select="node() except tei:speaker"/></div>
    </div>
  </xsl:template>

  <xsl:template match="tei:speaker">
    <span class="speaker"><xsl:apply-templates/></span>
  </xsl:template>

  <xsl:template match="tei:anchor[@synch]">
    <xsl:variable name="seconds" select="cm:anchor-seconds(.)"/>
    <xsl:choose>
      <xsl:when test="exists($seconds)">
        <xsl:variable name="id" select="'t=' || $seconds"/>
        <a class="time" href="#{$id}">
          <xsl:if test="key('cm:anchors-by-synch', @synch)[1] is .">
            <xsl:attribute name="id" select="$id"/>
          </xsl:if>
          <xsl:text>[</xsl:text><xsl:value-of select="cm:clock($seconds)"/><xsl:text>]</xsl:text>
        </a>
      </xsl:when>
      <xsl:otherwise><span class="time unresolved">[<xsl:value-of select="@synch"/>]</span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:vocal | tei:incident | tei:kinesic">
    <span class="event event-{local-name()}" title="{local-name()}">
      <xsl:text>[</xsl:text><xsl:apply-templates select="tei:desc/node()"/><xsl:text>]</xsl:text>
    </span>
  </xsl:template>

  <!-- ============================================================ editorial phenomena -->

  <xsl:template match="tei:gap">
    <xsl:variable name="label" select="cm:gap-label(.)"/>
    <xsl:variable name="desc" select="normalize-space(tei:desc)"/>
    <span class="gap gap-{(@reason, 'unknown')[1]}">
      <xsl:if test="$desc"><xsl:attribute name="title" select="$desc"/></xsl:if>
      <xsl:text>[</xsl:text>
      <xsl:choose>
        <xsl:when test="@reason = 'inaudible' and $desc"><xsl:value-of select="$desc"/> — inaudible</xsl:when>
        <xsl:otherwise><xsl:value-of select="$label"/></xsl:otherwise>
      </xsl:choose>
      <xsl:text>]</xsl:text>
    </span>
  </xsl:template>

  <xsl:template match="tei:unclear">
    <span class="unclear" title="doubtful reading{if (@reason) then ' (' || @reason || ')' else ''}"><xsl:apply-templates/><span class="unclear-mark">[?]</span></span>
  </xsl:template>

  <xsl:template match="tei:supplied">
    <span class="supplied" title="editorial insertion"><xsl:apply-templates/></span>
  </xsl:template>

  <xsl:template match="tei:del">
    <del><xsl:apply-templates/></del>
  </xsl:template>

  <xsl:template match="tei:add"><ins><xsl:apply-templates/></ins></xsl:template>

  <xsl:template match="tei:hi[tokenize(@rend, '\s+') = ('italic', 'italics')] | tei:emph | tei:foreign | tei:title[not(ancestor::tei:teiHeader)]">
    <i><xsl:apply-templates/></i>
  </xsl:template>
  <xsl:template match="tei:hi[tokenize(@rend, '\s+') = 'bold']"><b><xsl:apply-templates/></b></xsl:template>
  <xsl:template match="tei:hi[tokenize(@rend, '\s+') = ('sup', 'superscript')]"><sup><xsl:apply-templates/></sup></xsl:template>
  <xsl:template match="tei:hi"><span class="hi"><xsl:apply-templates/></span></xsl:template>

  <xsl:template match="tei:stamp">
    <span class="stamp" title="declassification stamp"><xsl:apply-templates/></span>
  </xsl:template>

  <xsl:template match="tei:date">
    <xsl:choose>
      <xsl:when test="matches(@when, '^\d{4}(-\d{2}(-\d{2})?)?$')">
        <time datetime="{@when}"><xsl:apply-templates/></time>
      </xsl:when>
      <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ============================================================ page furniture -->

  <xsl:template match="tei:fw">
    <span class="fw fw-{(@type, 'other')[1]}{if (@place) then ' place-' || @place else ''}"
          title="{if (@type = 'classification') then 'classification mark' else if (@type = 'pageNum') then 'page number' else 'page furniture'} as printed">
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <xsl:template match="tei:pb">
    <span class="pb" role="separator" aria-label="{if (@n) then 'Page ' || @n else 'Page break'}">
      <xsl:if test="@n and key('cm:pages-by-n', @n)[1] is .">
        <xsl:attribute name="id" select="'page-' || replace(@n, '\s', '')"/>
      </xsl:if>
      <xsl:value-of select="if (@n) then 'p. ' || @n else 'page'"/>
    </span>
  </xsl:template>

  <!-- ============================================================ names and pointers -->

  <xsl:template match="tei:persName[@ref] | tei:name[@ref]">
    <xsl:variable name="id" select="cm:person-id(., string(@ref))"/>
    <xsl:choose>
      <xsl:when test="$id"><a class="person" href="persons.html#{$id}"><xsl:apply-templates/></a></xsl:when>
      <xsl:otherwise><span class="name"><xsl:apply-templates/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- External links only when they are plain web links; anything else stays as text. -->
  <xsl:template match="tei:ref[matches(@target, '^https?://')]">
    <a href="{@target}"><xsl:apply-templates/></a>
  </xsl:template>

  <xsl:template match="tei:figure | tei:graphic | tei:media | tei:surface"/>

  <!-- Anything else (including other namespaces, e.g. FRUS's frus:*): its content. -->
  <xsl:template match="*">
    <xsl:apply-templates/>
  </xsl:template>

</xsl:stylesheet>
