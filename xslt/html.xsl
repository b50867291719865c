<?xml version="1.0" encoding="UTF-8"?>
<!--
  html.xsl - one TEI document as an HTML5 page of the cmctei site.

  Parameters:
    site-title   (xs:string, default 'cmctei')  name shown in the site header.
    css          (xs:string, default 'cmctei.css')  stylesheet link.
    tei-href     (xs:string)  link to the TEI source (default 'tei/{docid}.xml').
    text-href    (xs:string)  link to the plain text (default 'text/{docid}.txt', inside
                 the site: build/html alone is the whole site).
    cite-base    (xs:string)  citation files without extension (default 'cite/{docid}').
    cite         (document-node()?)  the Chicago note as HTML (<cite><note>…</note></cite>),
                 made by cite.xsl; shown in "Cite this document".
    canonical-url (xs:string, default '')  the page's address on the published site
                 (declared in citation.xsl): <link rel="canonical"> and the citation URL.
                 Empty: neither.
    show-alternatives (xs:boolean, default true())  choice: the other reading
                 is printed after the one shown ("1728 [sic: 1724]"); false():
                 only in the tooltip (title attribute).
    cm:volume, cm:part, cm:document-id  set by cmctei (a document of a volume,
                 the id the outputs are published under: see common.xsl, header.xsl).

  Named templates a customisation may override (xsl:import this file):
    footer, about, downloads, notes, volume-nav, metadata, banner, marks.

  What the page shows, beyond the text:
    - the classification banner at top and bottom as the document bears it:
      the first mark printed at the top of a page and the first at a foot,
      struck where struck (each a landmark of its own; print CSS repeats them
      in the top and bottom margin of every printed page, never over text),
      handling caveats and the declassification stamps;
    - the header: title, date, genre, the language and the one translated
      from ("English, translated from Russian": a translator named, an
      original language listed, or the manuscript's textLang), source,
      translator, sender/recipient or participants; the classification marks
      as printed when one is struck or they differ ("Marks as printed");
    - page furniture (fw) as furniture, never run into the text; page
      breaks in the margin;
    - footnotes as real notes (doc-noteref / doc-backlink), numbered once (by
      their label, as printed), each with the id of its own number ("fn-1" is
      note 1; the TEI's xml:id where something points at it); notes whose
      text is not transcribed say so;
    - every gap with the wording the source prints there, as printed, and
      its normalised extent and reason beside it ("2 lines of source text not
      declassified [2 lines excised — classified]"); inaudible and doubtful
      speech, editorial insertions, deletions as <del>;
    - speaker turns: the label links to the person index at the speaker's
      first turn (one link per speaker); tape times as #t=… anchors.
  TEI that cmctei did not write: one reading of a choice shown, the other
  after it; speeches (u/@who with their note type="speaker" labels);
  figures with their captions; table captions; inline notes (FRUS's
  note rend="inline") where they stand; hi/@rend renditions; @join;
  xml:lang as BCP 47; blocks met inside phrasing (a paragraph in a
  quotation in a paragraph) as spans, so the page stays valid HTML;
  pointers to elements of the page, of another document of the volume or
  of its front and back matter as links.
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
                xmlns:frus="http://history.state.gov/frus/ns/1.0"
                xmlns:eg="http://www.tei-c.org/ns/Examples"
                xmlns="http://www.w3.org/1999/xhtml"
                exclude-result-prefixes="#all">

  <xsl:include href="common.xsl"/>
  <xsl:include href="citation.xsl"/>
  <xsl:include href="site.xsl"/>
  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no" include-content-type="no"/>

  <xsl:param name="site-title" as="xs:string" select="'cmctei'"/>
  <xsl:param name="css" as="xs:string" select="'cmctei.css'"/>
  <xsl:param name="tei-href" as="xs:string?" select="()"/>
  <xsl:param name="text-href" as="xs:string?" select="()"/>
  <xsl:param name="cite-base" as="xs:string?" select="()"/>
  <xsl:param name="cite" as="document-node()?" select="()"/>
  <xsl:param name="show-alternatives" as="xs:boolean" select="true()"/>

  <xsl:variable name="root" select="(/tei:TEI, /*)[1]"/>
  <xsl:variable name="docid" select="cm:docid($root)"/>

  <xsl:template match="/">
    <xsl:variable name="title" select="cm:display-title-of($root)"/>
    <xsl:variable name="banner" select="cm:banner($root)"/>
    <xsl:variable name="level" select="(cm:category($root, 'classification')[.], 'unmarked')[1]"/>
    <!-- the marks the banners show as printed (struck where struck): the first at the top of a
         page and the first at the foot of one; a document marked only once shows that mark twice -->
    <xsl:variable name="marks" select="$root/tei:text//tei:fw[@type = 'classification']"/>
    <xsl:variable name="top-mark" select="($marks[@place = 'top'], $marks)[1]"/>
    <xsl:variable name="bottom-mark" select="($marks[@place = 'bottom'], $top-mark)[1]"/>
    <html lang="{cm:lang($root)}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> — <xsl:value-of select="$site-title"/></title>
        <link rel="stylesheet" href="{$css}"/>
        <xsl:call-template name="metadata"/>
      </head>
      <body class="document level-{$level}{if ($banner) then ' banners' else ''}">
        <xsl:if test="$banner">
          <xsl:call-template name="banner">
            <xsl:with-param name="where" select="'top'"/>
            <xsl:with-param name="mark" select="$top-mark"/>
            <xsl:with-param name="banner" select="$banner"/>
            <xsl:with-param name="level" select="$level"/>
          </xsl:call-template>
        </xsl:if>
        <header class="site">
          <a class="skip" href="#text">Skip to the text</a>
          <xsl:call-template name="cm:site-nav"/>
          <xsl:call-template name="cm:breadcrumbs">
            <xsl:with-param name="genre" select="cm:category($root, 'genre')"/>
            <xsl:with-param name="title" select="$title"/>
          </xsl:call-template>
          <xsl:call-template name="cm:sequence-slot"/>
          <xsl:call-template name="volume-nav"/>
          <xsl:call-template name="cm:search-facets">
            <xsl:with-param name="tei" select="$root"/>
          </xsl:call-template>
        </header>
        <main data-pagefind-body="">
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
        <xsl:call-template name="cm:sequence-slot">
          <xsl:with-param name="where" select="'bottom'"/>
        </xsl:call-template>
        <xsl:call-template name="volume-nav">
          <xsl:with-param name="where" select="'bottom'"/>
        </xsl:call-template>
        <xsl:call-template name="footer"/>
        <xsl:if test="$banner">
          <xsl:call-template name="banner">
            <xsl:with-param name="where" select="'bottom'"/>
            <xsl:with-param name="mark" select="$bottom-mark"/>
            <xsl:with-param name="banner" select="$banner"/>
            <xsl:with-param name="level" select="$level"/>
          </xsl:call-template>
        </xsl:if>
      </body>
    </html>
  </xsl:template>

  <!-- A classification banner: the printed mark as it is encoded (a struck word struck, a note
       inside it left to the text), else the level's name. A landmark of its own (a region
       named for where it stands), so that nothing on the page is outside a landmark; print CSS
       repeats it in the margin of every printed page. -->
  <xsl:template name="banner">
    <xsl:param name="where" as="xs:string"/>
    <xsl:param name="mark" as="element()?"/>
    <xsl:param name="banner" as="xs:string"/>
    <xsl:param name="level" as="xs:string"/>
    <div class="banner banner-{$where} level-{$level}" role="region" aria-label="Classification ({$where})">
      <xsl:choose>
        <xsl:when test="$mark"><xsl:apply-templates select="$mark/node()" mode="mark"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="$banner"/></xsl:otherwise>
      </xsl:choose>
    </div>
  </xsl:template>

  <!-- A printed mark outside the text (a banner, the metadata): its words, struck where
       struck; no notes, ids or links. -->
  <xsl:template match="tei:del" mode="mark"><del><xsl:apply-templates mode="mark"/></del></xsl:template>
  <xsl:template match="tei:hi[cm:renditions(.) = $cm:strike-renditions]" mode="mark"><s><xsl:apply-templates mode="mark"/></s></xsl:template>
  <xsl:template match="tei:note | tei:pb | tei:lb | tei:anchor" mode="mark"/>
  <xsl:template match="*" mode="mark"><xsl:apply-templates mode="mark"/></xsl:template>

  <xsl:template name="footer">
    <footer class="site">
      <p>Published with cmctei from the TEI <xsl:value-of select="if (cm:is-master($root)) then 'master' else 'file'"/>
        <xsl:text> </xsl:text><code><xsl:value-of select="if ($tei-href) then replace($tei-href, '^.*/', '') else $docid || '.xml'"/></code>.</p>
    </footer>
  </xsl:template>

  <!-- A document of a volume: the way to the volume's contents and to the documents before
       and after it. The contents page: back to the site. -->
  <xsl:template name="volume-nav">
    <xsl:param name="where" select="'top'"/>
    <xsl:if test="$cm:volume">
      <xsl:variable name="outline" select="$cm:volume/*"/>
      <xsl:variable name="current" select="cm:outline-part()"/>
      <xsl:variable name="previous" select="$current/preceding-sibling::cm:part[1]"/>
      <xsl:variable name="next" select="$current/following-sibling::cm:part[1]"/>
      <nav class="volume volume-{$where}" aria-label="{if ($where = 'top') then 'Volume' else 'Volume (end of the document)'}">
        <xsl:if test="$previous">
          <a href="{$previous/@href}" rel="prev">← <xsl:value-of select="cm:part-label($previous)"/></a>
          <xsl:text> · </xsl:text>
        </xsl:if>
        <a href="{$outline/@href}"><xsl:if test="not($current)"><xsl:attribute name="aria-current" select="'page'"/></xsl:if>
          <xsl:value-of select="$outline/@title"/>: contents</a>
        <xsl:if test="$next">
          <xsl:text> · </xsl:text>
          <a href="{$next/@href}" rel="next"><xsl:value-of select="cm:part-label($next)"/> →</a>
        </xsl:if>
      </nav>
    </xsl:if>
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
    <xsl:variable name="date" select="$c:item-date"/>
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
    <xsl:if test="$c:route = 'book'">
      <xsl:if test="$c:volume"><meta name="citation_volume" content="{($c:volume-number[.], $c:volume)[1]}"/></xsl:if>
      <xsl:if test="$c:publisher"><meta name="citation_publisher" content="{$c:publisher}"/></xsl:if>
    </xsl:if>
    <xsl:if test="$c:isbn"><meta name="citation_isbn" content="{$c:isbn}"/></xsl:if>
    <xsl:if test="$c:doi"><meta name="citation_doi" content="{$c:doi}"/></xsl:if>
    <xsl:if test="$c:language"><meta name="citation_language" content="{$c:language}"/></xsl:if>
    <xsl:if test="$canonical-url">
      <meta name="citation_public_url" content="{$canonical-url}"/>
      <link rel="canonical" href="{$canonical-url}"/>
    </xsl:if>
    <xsl:if test="not($canonical-url) and $c:url"><meta name="citation_public_url" content="{$c:url}"/></xsl:if>
    <meta name="DC.type" content="{$c:zotero-type}"/>
    <meta name="DC.title" content="{$c:item-title}"/>
    <xsl:for-each select="$c:authors">
      <meta name="DC.creator" content="{c:inverted(.)}"/>
    </xsl:for-each>
    <xsl:if test="$c:date">
      <meta name="DC.date" content="{$c:date}"/>
    </xsl:if>
    <meta name="DC.identifier" content="{($canonical-url[.], $docid)[1]}"/>
    <xsl:if test="$c:language"><meta name="DC.language" content="{$c:language}"/></xsl:if>
    <xsl:if test="$c:licence"><meta name="DC.rights" content="{$c:licence}"/></xsl:if>
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
      <xsl:if test="cm:date($root) or cm:dated-by-bounds($root)">
        <dt>Date</dt>
        <dd><xsl:choose>
          <xsl:when test="cm:date($root)">
            <time datetime="{cm:date($root)}"><xsl:value-of select="cm:date-long(cm:date($root))"/></time>
            <xsl:if test="$header//tei:creation/tei:date/@cert = 'low'"> (approximate)</xsl:if>
          </xsl:when>
          <xsl:otherwise>Undated (<xsl:value-of select="cm:date-bounds($root)"/>)</xsl:otherwise>
        </xsl:choose></dd>
      </xsl:if>
      <xsl:if test="cm:category($root, 'genre')">
        <dt>Genre</dt><dd><xsl:value-of select="cm:category-label($root, 'genre')"/></dd>
      </xsl:if>
      <xsl:if test="cm:is-translation($root)">
        <xsl:variable name="from" select="cm:translated-from($root)"/>
        <dt>Language</dt>
        <dd><xsl:value-of select="cm:language-name($root, cm:lang($root))"/>, translated <xsl:value-of
          select="if (exists($from)) then 'from ' || string-join($from, ' and ') else '(the file does not name the original language)'"/></dd>
      </xsl:if>
      <xsl:if test="not(cm:is-master($root))">
        <xsl:call-template name="about-foreign"/>
      </xsl:if>
      <xsl:if test="cm:category($root, 'classification')">
        <dt>Classification</dt>
        <dd><xsl:value-of select="cm:category-label($root, 'classification')"/>
          <xsl:if test="cm:handling($root)"> — <xsl:value-of select="string-join(cm:handling($root), ', ')"/></xsl:if>
          <xsl:if test="cm:precedence($root)"> · precedence <xsl:value-of select="string-join(cm:precedence($root), ', ')"/></xsl:if></dd>
      </xsl:if>
      <xsl:call-template name="marks"/>
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
      <xsl:if test="$header//tei:availability and cm:is-master($root)">
        <dt>Declassification</dt>
        <dd><xsl:apply-templates select="$header//tei:availability/tei:p/node()"/></dd>
      </xsl:if>
    </dl>
  </xsl:template>

  <!-- The classification marks as printed, when the banner alone would not say it: a mark
       struck through (declassified by hand, downgraded), or marks that differ from page to
       page. Each distinct mark once, in the order met, with what is struck said in words. -->
  <xsl:template name="marks">
    <xsl:variable name="marks" select="$root/tei:text//tei:fw[@type = 'classification']"/>
    <xsl:variable name="keys" select="distinct-values($marks ! cm:mark-key(.))"/>
    <xsl:if test="count($keys) gt 1 or exists($marks//(tei:del | tei:hi[cm:renditions(.) = $cm:strike-renditions]))">
      <dt>Marks as printed</dt>
      <dd>
        <ul class="marks">
          <xsl:for-each-group select="$marks" group-by="cm:mark-key(.)">
            <xsl:variable name="struck" select="cm:struck(.)"/>
            <li><span class="mark"><xsl:apply-templates select="node()" mode="mark"/></span>
              <xsl:choose>
                <xsl:when test="empty($struck)"/>
                <xsl:when test="normalize-space(string-join($struck, ' ')) = cm:mark-text(.)"> (struck through)</xsl:when>
                <xsl:otherwise> (<xsl:value-of select="string-join($struck ! ('“' || . || '”'), ' and ')"/> struck through)</xsl:otherwise>
              </xsl:choose>
            </li>
          </xsl:for-each-group>
        </ul>
      </dd>
    </xsl:if>
  </xsl:template>

  <!-- A printed mark's words (its notes are not part of it), its struck words, and both
       together as a key ("~TOP SECRET~ - SENSITIVE") that tells two marks apart. -->
  <xsl:function name="cm:mark-text" as="xs:string">
    <xsl:param name="mark" as="element()"/>
    <xsl:sequence select="normalize-space(string-join($mark//text()[not(ancestor::tei:note)], ''))"/>
  </xsl:function>
  <xsl:function name="cm:struck" as="xs:string*">
    <xsl:param name="mark" as="element()"/>
    <xsl:sequence select="$mark//(tei:del | tei:hi[cm:renditions(.) = $cm:strike-renditions])
      [not(ancestor::*[. intersect $mark//(tei:del | tei:hi[cm:renditions(.) = $cm:strike-renditions])])] ! cm:mark-text(.)"/>
  </xsl:function>
  <xsl:function name="cm:mark-key" as="xs:string">
    <xsl:param name="mark" as="element()"/>
    <xsl:sequence select="normalize-space(string-join($mark//text()[not(ancestor::tei:note)]
      ! (if (ancestor::*[self::tei:del or self::tei:hi[cm:renditions(.) = $cm:strike-renditions]]) then '~' || . || '~' else string(.)), ''))"/>
  </xsl:function>

  <!-- ============================================================ languages

       A translation: the header names a translator (a respStmt whose resp says so), a
       language is listed as the original (langUsage/language saying "original" or
       "translat…"), or the manuscript described is in another language (textLang/@mainLang).
       The original's languages are the ones other than the text's own. -->
  <xsl:function name="cm:is-translation" as="xs:boolean" cache="yes">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="header" select="$tei/tei:teiHeader"/>
    <xsl:sequence select="exists($header/tei:fileDesc//tei:respStmt[matches(string-join(tei:resp, ' '), 'transl', 'i')])
      or exists(cm:other-languages($tei)[self::tei:language][matches(., 'original|translat', 'i')])
      or exists(cm:other-languages($tei)[self::tei:textLang])"/>
  </xsl:function>
  <xsl:function name="cm:other-languages" as="element()*">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="lang" select="cm:lang($tei)"/>
    <xsl:sequence select="($tei/tei:teiHeader/tei:profileDesc/tei:langUsage/tei:language[cm:bcp47(@ident) != $lang],
      $tei/tei:teiHeader/tei:fileDesc/tei:sourceDesc//tei:textLang[@mainLang][cm:bcp47(@mainLang) != $lang])"/>
  </xsl:function>
  <xsl:function name="cm:translated-from" as="xs:string*">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="distinct-values(cm:other-languages($tei)
      ! cm:language-name($tei, cm:bcp47((@ident, @mainLang)[1]), .))"/>
  </xsl:function>
  <!-- A language's name as the header gives it ("Russian (the original, translated)" is
       "Russian"), else its English name for the languages of the archives' usual documents,
       else its code. -->
  <xsl:variable name="cm:language-names" as="map(xs:string, xs:string)" select="map {
      'ar': 'Arabic', 'cs': 'Czech', 'de': 'German', 'el': 'Greek', 'en': 'English', 'es': 'Spanish',
      'fa': 'Persian', 'fr': 'French', 'he': 'Hebrew', 'hu': 'Hungarian', 'it': 'Italian', 'ja': 'Japanese',
      'ko': 'Korean', 'la': 'Latin', 'nl': 'Dutch', 'pl': 'Polish', 'pt': 'Portuguese', 'ro': 'Romanian',
      'ru': 'Russian', 'sv': 'Swedish', 'tr': 'Turkish', 'uk': 'Ukrainian', 'vi': 'Vietnamese', 'zh': 'Chinese'}"/>
  <xsl:function name="cm:language-name" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:param name="code" as="xs:string"/>
    <xsl:sequence select="cm:language-name($tei, $code, ())"/>
  </xsl:function>
  <xsl:function name="cm:language-name" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:param name="code" as="xs:string"/>
    <xsl:param name="element" as="element()?"/>
    <xsl:variable name="named" select="($element, $tei/tei:teiHeader/tei:profileDesc/tei:langUsage/tei:language[cm:bcp47(@ident) = $code])
      ! normalize-space(replace(string(.), '\(.*$', ''))"/>
    <xsl:sequence select="($named[.], $cm:language-names(replace($code, '-.*$', '')), $code)[1]"/>
  </xsl:function>

  <!-- What TEI written elsewhere says of itself (header.xsl): authors, the volume a document
       belongs to, editors, publisher, licence, identifiers. -->
  <xsl:template name="about-foreign">
    <xsl:variable name="authors" select="cm:authors($root)"/>
    <xsl:if test="exists($authors)">
      <dt><xsl:value-of select="if (count($authors) gt 1) then 'Authors' else 'Author'"/></dt>
      <dd><xsl:value-of select="string-join($authors, '; ')"/></dd>
    </xsl:if>
    <xsl:if test="cm:document-div($root)">
      <dt>In</dt>
      <dd><cite><xsl:value-of select="cm:volume-title($root)"/></cite>
        <xsl:if test="cm:doc-number($root)">, document <xsl:value-of select="cm:doc-number($root)"/></xsl:if>
        <xsl:if test="cm:pages($root)">, <xsl:value-of select="if (contains(cm:pages($root), '–')) then 'pages' else 'page'"/>
          <xsl:text> </xsl:text><xsl:value-of select="cm:pages($root)"/></xsl:if></dd>
    </xsl:if>
    <xsl:if test="exists(cm:editors($root))">
      <dt>Edited by</dt><dd><xsl:value-of select="string-join(cm:editors($root), '; ')"/></dd>
    </xsl:if>
    <xsl:variable name="imprint" select="string-join((cm:pub-place($root), cm:publisher($root), cm:pub-year($root))[.], ', ')"/>
    <xsl:if test="$imprint">
      <dt>Published</dt><dd><xsl:value-of select="$imprint"/></dd>
    </xsl:if>
    <xsl:if test="cm:licence($root)">
      <dt>Licence</dt>
      <dd><xsl:choose>
        <xsl:when test="matches(cm:licence($root), '^https?://\S+$')"><a href="{cm:licence($root)}"><xsl:value-of select="cm:licence($root)"/></a></xsl:when>
        <xsl:otherwise><xsl:value-of select="cm:licence($root)"/></xsl:otherwise>
      </xsl:choose></dd>
    </xsl:if>
    <xsl:if test="exists(cm:idnos($root))">
      <dt>Identifiers</dt><dd><xsl:value-of select="string-join(cm:idnos($root), '; ')"/></dd>
    </xsl:if>
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
      <a href="{($text-href, 'text/' || $docid || '.txt')[1]}" type="text/plain">plain text</a>
      <xsl:variable name="cite" select="($cite-base, 'cite/' || $docid)[1]"/>
      <xsl:text> · citation: </xsl:text>
      <a href="{$cite}.txt">Chicago</a><xsl:text>, </xsl:text>
      <a href="{$cite}.json">CSL-JSON</a><xsl:text>, </xsl:text>
      <a href="{$cite}.bib">BibTeX</a><xsl:text>, </xsl:text>
      <a href="{$cite}.ris">RIS</a>
    </nav>
  </xsl:template>

  <!-- ============================================================ notes -->

  <!-- A note's id on the page: the TEI's own where something points at it (the pointer lands
       on it), else its own number ("fn-1" is note 1, "fn-0" the source note numbered 0), so
       that a link to a note says which note it is and stays the same when notes are added
       before it; a note without a number of its own (none, or one that several notes of the
       page share) gets its place among the notes ("fn-p3"). -->
  <!-- (memoised, as cm:footnote-key is: the marker and the list's entry each ask it, and it
       costs a regular expression and two keys; issue 18) -->
  <xsl:function name="cm:note-id" as="xs:string" cache="yes">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="if (cm:targeted($note)) then string($note/@xml:id)
      else if (matches($note/@n, '^[\p{L}\p{N}._-]+$') and count(key('cm:notes-by-n', string($note/@n), root($note))) = 1)
      then 'fn-' || $note/@n
      else 'fn-p' || $note/accumulator-before('cm:text-notes')"/>
  </xsl:function>

  <xsl:template name="notes">
    <xsl:variable name="notes" select="$root/tei:text//tei:note[cm:is-footnote(.)]"/>
    <xsl:if test="$notes">
      <section class="notes" aria-labelledby="notes-heading">
        <h2 id="notes-heading">Notes</h2>
        <ol class="notes">
          <xsl:for-each select="$notes">
            <!-- (each worked out once: issue 18) -->
            <xsl:variable name="id" select="cm:note-id(.)"/>
            <xsl:variable name="key" select="cm:footnote-key(.)"/>
            <!-- (the number is the label, as printed: the list shows no number of its own) -->
            <li id="{$id}">
              <span class="note-label"><xsl:value-of select="if (@type = 'source') then 'Source note' else $key"/></span>
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
              <a href="#ref-{$id}" role="doc-backlink" class="backlink"
                 aria-label="Back to the reference of note {$key}">↩</a>
            </li>
          </xsl:for-each>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:note">
    <xsl:variable name="id" select="cm:note-id(.)"/>
    <xsl:variable name="key" select="cm:footnote-key(.)"/>
    <a class="noteref" id="ref-{$id}" href="#{$id}" role="doc-noteref"
       aria-label="Note {$key}"><sup><xsl:value-of select="$key"/></sup></a>
  </xsl:template>
  <!-- (a link cannot hold a link: inside one, the marker alone) -->
  <xsl:template match="tei:note[cm:in-link(.)]" priority="1">
    <sup class="noteref" id="ref-{cm:note-id(.)}"><xsl:value-of select="cm:footnote-key(.)"/></sup>
  </xsl:template>

  <!-- Whether an element is rendered as a link, or inside one. -->
  <xsl:function name="cm:is-link" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="($e/self::tei:ref and matches($e/@target, '^https?://\S+$'))
      or ($e/(self::tei:persName | self::tei:name)[@ref] and (cm:person-id($e, string($e/@ref)) or cm:href($e, $e/@ref)))
      or (($e/@corresp or $e/@target) and not($e/self::tei:note) and cm:href($e, ($e/@target, $e/@corresp)[1]) != '')"/>
  </xsl:function>
  <xsl:function name="cm:in-link" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <!-- (only an element with one of these attributes can be a link: asked first, the
         function is called for few ancestors instead of all; issue 18) -->
    <xsl:sequence select="exists($e/ancestor::*[@target or @corresp or @ref][cm:is-link(.)])"/>
  </xsl:function>

  <!-- A note printed where it stands (FRUS's note rend="inline", a transcriber's comment in
       a sitting): a block of its own between blocks, else a span in brackets. -->
  <xsl:template match="tei:note[not(cm:is-footnote(.))]">
    <xsl:call-template name="cm:block">
      <xsl:with-param name="name" select="'p'"/>
      <xsl:with-param name="class" select="'note-inline' || (if (@type) then ' note-' || replace(@type, '[^\w-]', '') else '')"/>
      <xsl:with-param name="inline" select="cm:in-phrasing(.) or exists(../text()[normalize-space()])"/>
      <xsl:with-param name="brackets" select="not(@rend = 'inline' or @type = 'speaker' or starts-with(normalize-space(.), '['))"/>
    </xsl:call-template>
  </xsl:template>

  <!-- ============================================================ blocks inside phrasing -->

  <!-- A TEI block as an HTML element $name, or, where HTML allows only phrasing content
       (a paragraph inside a quotation inside a paragraph), as a span shown as a block. -->
  <xsl:template name="cm:block">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="class" as="xs:string" select="local-name()"/>
    <xsl:param name="inline" as="xs:boolean" select="cm:in-phrasing(.)"/>
    <xsl:param name="brackets" as="xs:boolean" select="false()"/>
    <xsl:element name="{if ($inline) then 'span' else $name}">
      <xsl:attribute name="class" select="if ($inline) then $class || ' block' else $class"/>
      <xsl:call-template name="cm:id"/>
      <xsl:call-template name="cm:lang"/>
      <xsl:if test="$brackets">[</xsl:if>
      <xsl:apply-templates/>
      <xsl:if test="$brackets">]</xsl:if>
    </xsl:element>
  </xsl:template>

  <!-- An id for an element other elements point at (#id), so the link lands on it. -->
  <xsl:template name="cm:id">
    <xsl:if test="cm:targeted(.)"><xsl:attribute name="id" select="@xml:id"/></xsl:if>
  </xsl:template>

  <!-- A language of its own (xml:lang different from its parent's), as BCP 47. -->
  <xsl:template name="cm:lang">
    <xsl:if test="@xml:lang and cm:bcp47(@xml:lang) and cm:bcp47(@xml:lang) != cm:bcp47(string((../ancestor-or-self::*/@xml:lang)[last()]))">
      <xsl:attribute name="lang" select="cm:bcp47(@xml:lang)"/>
    </xsl:if>
  </xsl:template>

  <!-- ============================================================ structure -->

  <xsl:template match="tei:teiHeader | tei:timeline"/>

  <xsl:template match="tei:text | tei:body | tei:front | tei:back">
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template match="tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5 | tei:div6 | tei:div7">
    <xsl:choose>
      <xsl:when test="cm:in-phrasing(.)">
        <xsl:call-template name="cm:block"><xsl:with-param name="name" select="'span'"/>
          <xsl:with-param name="class" select="'div div-' || (@type, 'div')[1]"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <section class="div div-{(@type, 'div')[1]}">
          <xsl:call-template name="cm:id"/>
          <xsl:call-template name="cm:lang"/>
          <xsl:if test="@type = 'headnote'"><xsl:attribute name="aria-label">Headnote</xsl:attribute></xsl:if>
          <xsl:apply-templates/>
        </section>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The contents page of a volume: each document as an entry (number, title, date). -->
  <xsl:template match="tei:div[@type = 'document'][$cm:volume and not($cm:part)]" priority="2">
    <xsl:variable name="entry" select="key('cm:outline', string(@xml:id), $cm:volume)[self::cm:part]"/>
    <xsl:variable name="entry" select="if ($entry) then $entry else $cm:volume/*/cm:part[@position = string(count(preceding::tei:div[@type = 'document']) + 1)]"/>
    <p class="toc-entry">
      <xsl:call-template name="cm:id"/>
      <a href="{$entry/@href}"><xsl:value-of select="cm:part-label($entry)"/></a>
      <xsl:if test="$entry/@date">
        <xsl:text> </xsl:text><time datetime="{$entry/@date}"><xsl:value-of select="cm:date-long($entry/@date)"/></time>
      </xsl:if>
    </p>
  </xsl:template>

  <xsl:template match="tei:head">
    <xsl:variable name="level" select="min((6, max((2, count(ancestor::*[self::tei:div or matches(local-name(), '^div\d$')][tei:head]) + 1))))"/>
    <xsl:choose>
      <xsl:when test="cm:in-phrasing(.)">
        <xsl:call-template name="cm:block"><xsl:with-param name="name" select="'span'"/>
          <xsl:with-param name="class" select="'head'"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:element name="h{$level}">
          <xsl:attribute name="class">head</xsl:attribute>
          <xsl:call-template name="cm:id"/>
          <xsl:apply-templates/>
        </xsl:element>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A paragraph that holds blocks (lists, tables, block quotations) cannot be an HTML p. -->
  <xsl:template match="tei:p | tei:ab">
    <xsl:variable name="blocky" select="cm:blocky(.)"/>
    <xsl:choose>
      <xsl:when test="cm:in-phrasing(.)">
        <xsl:call-template name="cm:block"><xsl:with-param name="name" select="'span'"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:element name="{if ($blocky) then 'div' else 'p'}">
          <xsl:attribute name="class" select="local-name() || (if ($blocky) then ' p' else '')"/>
          <xsl:if test="@xml:id"><xsl:call-template name="cm:id"/></xsl:if>
          <xsl:if test="@xml:lang"><xsl:call-template name="cm:lang"/></xsl:if>
          <xsl:apply-templates/>
        </xsl:element>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:opener | tei:closer | tei:postscript | tei:argument | tei:epigraph | tei:floatingText
                       | tei:titlePage | tei:docTitle | tei:listBibl | tei:lg | frus:attachment">
    <xsl:call-template name="cm:block">
      <xsl:with-param name="name" select="'div'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:dateline | tei:salute | tei:signed | tei:byline | tei:docDate | tei:trailer | tei:titlePart | tei:docImprint">
    <xsl:call-template name="cm:block"><xsl:with-param name="name" select="'p'"/></xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:quote[cm:block-quote(.)] | tei:cit">
    <xsl:choose>
      <xsl:when test="cm:in-phrasing(.)">
        <xsl:call-template name="cm:block"><xsl:with-param name="name" select="'span'"/>
          <xsl:with-param name="class" select="'quote'"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <blockquote><xsl:call-template name="cm:id"/><xsl:apply-templates/></blockquote>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:quote | tei:q | tei:said">
    <span class="quote"><xsl:call-template name="cm:lang"/><xsl:apply-templates/></span>
  </xsl:template>

  <!-- Lists: every child of ul is an li; what stands between items (a page break, a note)
       goes into the next item (the last, at the end). A gloss list (label, item) is a dl. -->
  <xsl:template match="tei:list">
    <xsl:choose>
      <xsl:when test="cm:in-phrasing(.)">
        <span class="list block"><xsl:call-template name="cm:id"/>
          <xsl:for-each select="*">
            <span class="{if (self::tei:item) then 'item' else local-name()} block"><xsl:apply-templates select="if (self::tei:item or self::tei:label or self::tei:head) then node() else ."/></span>
          </xsl:for-each>
        </span>
      </xsl:when>
      <xsl:when test="tei:label and tei:item and (@type = 'gloss' or count(tei:label) = count(tei:item))">
        <dl class="list">
          <xsl:call-template name="cm:id"/>
          <xsl:for-each-group select="node()[self::* or normalize-space()]" group-ending-with="tei:item">
            <div>
              <xsl:for-each-group select="current-group()" group-starting-with="tei:label | tei:item | tei:head">
                <xsl:choose>
                  <xsl:when test="self::tei:item"><dd><xsl:apply-templates select="current-group() ! (if (self::tei:item) then node() else .)"/></dd></xsl:when>
                  <xsl:otherwise><dt><xsl:apply-templates select="current-group() ! (if (self::tei:label or self::tei:head) then node() else .)"/></dt></xsl:otherwise>
                </xsl:choose>
              </xsl:for-each-group>
            </div>
          </xsl:for-each-group>
        </dl>
      </xsl:when>
      <xsl:when test="node()[not(self::tei:item or self::tei:head or self::tei:label)][self::* or normalize-space()]">
        <ul class="list">
          <xsl:call-template name="cm:id"/>
          <xsl:variable name="children" select="node()[self::* or normalize-space()]"/>
          <xsl:for-each-group select="$children" group-ending-with="tei:item | tei:head | tei:label">
            <xsl:variable name="own" select="current-group()[self::tei:item or self::tei:head or self::tei:label]"/>
            <xsl:choose>
              <xsl:when test="$own">
                <li class="{if ($own/self::tei:item) then 'item' else local-name($own)}">
                  <xsl:if test="$own/self::tei:item"><xsl:attribute name="class" select="'item'"/></xsl:if>
                  <xsl:apply-templates select="current-group() except $own">
                    <xsl:with-param name="moved" select="true()" tunnel="yes"/></xsl:apply-templates>
                  <xsl:apply-templates select="$own/node()"/>
                </li>
              </xsl:when>
              <xsl:otherwise>
                <li class="between"><xsl:apply-templates select="current-group()"/></li>
              </xsl:otherwise>
            </xsl:choose>
          </xsl:for-each-group>
        </ul>
      </xsl:when>
      <xsl:otherwise>
        <ul class="list"><xsl:call-template name="cm:id"/><xsl:apply-templates/></ul>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="tei:list/tei:item">
    <li><xsl:call-template name="cm:id"/><xsl:apply-templates/></li>
  </xsl:template>
  <xsl:template match="tei:list/tei:head | tei:list/tei:label">
    <li class="{local-name()}"><xsl:apply-templates/></li>
  </xsl:template>
  <xsl:template match="tei:item">
    <xsl:call-template name="cm:block"><xsl:with-param name="name" select="'div'"/></xsl:call-template>
  </xsl:template>

  <!-- Tables: head as the caption, @cols and @rows as spans, label rows and cells as headers;
       what stands between rows or cells goes into the next cell. A table wider than the screen
       scrolls sideways in a box of its own (the page itself reflows at 320 px: WCAG 1.4.10
       lets a data table keep its two dimensions); the box takes the keyboard focus, so it can
       be scrolled without a mouse, and is named after the table's caption. -->
  <xsl:template match="tei:table[not(cm:in-phrasing(.))]" priority="1">
    <div class="table-scroll" role="group" tabindex="0"
         aria-label="{string-join(('Table', normalize-space(string-join(tei:head, ' '))[.]), ': ')}">
      <xsl:next-match/>
    </div>
  </xsl:template>
  <xsl:template match="tei:table">
    <xsl:choose>
      <xsl:when test="cm:in-phrasing(.)">
        <span class="table block"><xsl:call-template name="cm:id"/>
          <xsl:for-each select="tei:head"><span class="caption block"><xsl:apply-templates/></span></xsl:for-each>
          <xsl:for-each select="tei:row">
            <span class="row block"><xsl:for-each select="*"><span class="cell"><xsl:apply-templates select="if (self::tei:cell) then node() else ."/></span><xsl:text> </xsl:text></xsl:for-each></span>
          </xsl:for-each>
          <xsl:apply-templates select="* except (tei:head | tei:row)"/>
        </span>
      </xsl:when>
      <xsl:when test="* except tei:row">
        <table>
          <xsl:call-template name="cm:id"/>
          <xsl:if test="tei:head">
            <caption><xsl:for-each select="tei:head"><xsl:if test="position() gt 1"><xsl:text> </xsl:text></xsl:if><xsl:apply-templates/></xsl:for-each></caption>
          </xsl:if>
          <xsl:variable name="others" select="node()[not(self::tei:head)][self::* or normalize-space()]"/>
          <xsl:for-each-group select="$others" group-ending-with="tei:row">
            <xsl:variable name="row" select="current-group()[self::tei:row]"/>
            <xsl:variable name="before" select="current-group() except $row"/>
            <xsl:choose>
              <xsl:when test="$row">
                <xsl:apply-templates select="$row"><xsl:with-param name="before" select="$before" tunnel="yes"/></xsl:apply-templates>
              </xsl:when>
              <xsl:otherwise>
                <tr><td colspan="{max((1, max(../tei:row/count(tei:cell))))}"><xsl:apply-templates select="$before"/></td></tr>
              </xsl:otherwise>
            </xsl:choose>
          </xsl:for-each-group>
        </table>
      </xsl:when>
      <xsl:otherwise>
        <table><xsl:call-template name="cm:id"/><xsl:apply-templates select="tei:row"/></table>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="tei:row">
    <xsl:param name="before" as="node()*" tunnel="yes" select="()"/>
    <tr>
      <xsl:variable name="cells" select="node()[self::* or normalize-space()]"/>
      <xsl:choose>
        <xsl:when test="$cells except tei:cell or exists($before)">
          <xsl:for-each-group select="$cells" group-ending-with="tei:cell">
            <xsl:variable name="cell" select="current-group()[self::tei:cell]"/>
            <xsl:apply-templates select="$cell">
              <xsl:with-param name="before" select="(if (position() = 1) then $before else (), current-group() except $cell)" tunnel="yes"/>
            </xsl:apply-templates>
            <xsl:if test="not($cell)"><td><xsl:apply-templates select="current-group()"/></td></xsl:if>
          </xsl:for-each-group>
        </xsl:when>
        <xsl:otherwise><xsl:apply-templates select="tei:cell"/></xsl:otherwise>
      </xsl:choose>
    </tr>
  </xsl:template>
  <xsl:template match="tei:cell">
    <xsl:param name="before" as="node()*" tunnel="yes" select="()"/>
    <xsl:element name="{if (@role = 'label' or ../@role = 'label') then 'th' else 'td'}">
      <xsl:if test="@cols castable as xs:integer and xs:integer(@cols) gt 1"><xsl:attribute name="colspan" select="@cols"/></xsl:if>
      <xsl:if test="@rows castable as xs:integer and xs:integer(@rows) gt 1"><xsl:attribute name="rowspan" select="@rows"/></xsl:if>
      <xsl:apply-templates select="$before"><xsl:with-param name="before" select="()" tunnel="yes"/>
        <xsl:with-param name="moved" select="true()" tunnel="yes"/></xsl:apply-templates>
      <xsl:apply-templates><xsl:with-param name="before" select="()" tunnel="yes"/></xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:l"><span class="l"><xsl:apply-templates/></span><br/></xsl:template>
  <!-- A line break inside a word (break="no", or TCP's hyphenInWord) joins the two halves. -->
  <xsl:template match="tei:lb[@break = 'no' or @type = 'hyphenInWord']"/>
  <xsl:template match="tei:lb"><br/></xsl:template>

  <!-- A figure: its heading as the caption, its paragraphs and description; no image is read
       or linked (the site carries no images), the graphic is named. -->
  <xsl:template match="tei:figure">
    <xsl:choose>
      <xsl:when test="cm:in-phrasing(.)">
        <span class="figure block"><xsl:call-template name="cm:id"/><xsl:apply-templates/></span>
      </xsl:when>
      <xsl:otherwise>
        <figure class="figure">
          <xsl:call-template name="cm:id"/>
          <xsl:apply-templates select="node() except (tei:head | tei:figDesc)"/>
          <xsl:if test="tei:head or tei:figDesc">
            <figcaption><xsl:for-each select="tei:head | tei:figDesc"><xsl:if test="position() gt 1"><xsl:text> </xsl:text></xsl:if>
              <span class="{local-name()}"><xsl:apply-templates/></span></xsl:for-each></figcaption>
          </xsl:if>
        </figure>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="tei:figure/tei:head | tei:figDesc">
    <span class="{local-name()}"><xsl:apply-templates/></span>
  </xsl:template>
  <xsl:template match="tei:graphic | tei:media">
    <span class="graphic" title="image not included">[image]</span>
  </xsl:template>

  <!-- A TEI example (egXML): the markup as text. -->
  <xsl:template match="eg:egXML">
    <xsl:variable name="markup" select="string-join(node() ! serialize(.), '')"/>
    <xsl:choose>
      <xsl:when test="cm:in-phrasing(.)"><code class="egXML"><xsl:value-of select="$markup"/></code></xsl:when>
      <xsl:otherwise><pre class="egXML"><code><xsl:value-of select="$markup"/></code></pre></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ============================================================ speech -->

  <!-- A turn: the speaker's label, then the speech. The label links to the person index at the
       speaker's first turn only (one link per speaker, not one per turn: the tab order is not
       flooded); the other turns name the speaker as text. -->
  <xsl:key name="cm:turns-by-speaker" match="tei:sp[@who]" use="cm:person-id(., string(@who))"/>
  <xsl:template match="tei:sp">
    <div class="sp">
      <xsl:variable name="id" select="cm:person-id(., string(@who))"/>
      <xsl:choose>
        <xsl:when test="$id and key('cm:turns-by-speaker', $id)[1] is .">
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

  <!-- An utterance (ParlaMint, spoken corpora): the speaker is the note type="speaker" just
       before it, else the person @who points at. Segments are its paragraphs. -->
  <xsl:template match="tei:u">
    <div class="sp u">
      <xsl:call-template name="cm:id"/>
      <xsl:call-template name="cm:lang"/>
      <span class="speaker" title="{@who}"><xsl:value-of select="cm:u-label(.)"/>:</span>
      <xsl:text> </xsl:text>
      <div class="speech"><xsl:apply-templates/></div>
    </div>
  </xsl:template>
  <!-- the label of the next utterance: shown there -->
  <xsl:template match="tei:note[@type = 'speaker'][cm:speaker-note-of(.)]" priority="3"/>
  <xsl:template match="tei:u/tei:seg">
    <p class="seg"><xsl:call-template name="cm:id"/><xsl:call-template name="cm:lang"/><xsl:apply-templates/></p>
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
  <xsl:template match="tei:anchor[@xml:id][not(@synch)]">
    <xsl:if test="cm:targeted(.)"><span id="{@xml:id}" class="anchor"></span></xsl:if>
  </xsl:template>

  <xsl:template match="tei:vocal | tei:incident | tei:kinesic">
    <span class="event event-{local-name()}" title="{local-name()}">
      <xsl:text>[</xsl:text><xsl:apply-templates select="tei:desc/node()"/><xsl:text>]</xsl:text>
    </span>
  </xsl:template>

  <!-- ============================================================ editorial phenomena -->

  <!-- A gap: in a cmctei master (and wherever the profile's reasons are used) the desc is the
       wording printed in the source ("2 lines of source text not declassified", "Unclear"):
       shown as printed, with the normalised extent and reason beside it in brackets, both as
       text (seen and read aloud alike). Elsewhere a desc describes the gap and joins the
       label ("[2 letters omitted — illegible]"). -->
  <xsl:template match="tei:gap">
    <xsl:variable name="label" select="cm:gap-label(.)"/>
    <xsl:variable name="printed" select="(tei:desc[normalize-space()])[1][../@reason = ('classified', 'sanitized', 'inaudible')]"/>
    <span class="gap gap-{(@reason, 'unknown')[1] ! replace(., '[^\w-]', '')}">
      <xsl:choose>
        <xsl:when test="$printed">
          <span class="gap-printed"><xsl:apply-templates select="$printed/node()"/></span>
          <xsl:text> </xsl:text>
          <span class="gap-label">[<xsl:value-of select="$label"/>]</span>
        </xsl:when>
        <xsl:otherwise>[<xsl:value-of select="$label"/>]</xsl:otherwise>
      </xsl:choose>
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

  <!-- choice: the reading shown (corr, reg, expan), the other after it in brackets
       ("1728 [sic: 1724]"), or only in the tooltip when show-alternatives is false(). -->
  <xsl:template match="tei:choice[cm:choice-shown(.)]">
    <xsl:variable name="shown" select="cm:choice-shown(.)"/>
    <xsl:variable name="others" select="* except $shown"/>
    <xsl:variable name="note" select="string-join($others ! (cm:choice-name(.) || ': ' || normalize-space(.)), '; ')"/>
    <span class="choice" title="{$note}">
      <span class="{local-name($shown)}"><xsl:apply-templates select="$shown/node()"/></span>
      <xsl:if test="$show-alternatives and $others">
        <xsl:text> </xsl:text>
        <span class="alternative">[<xsl:for-each select="$others">
            <xsl:if test="position() gt 1">; </xsl:if><xsl:value-of select="cm:choice-name(.)"/>: <xsl:apply-templates/></xsl:for-each>]</span>
      </xsl:if>
    </span>
  </xsl:template>

  <!-- renditions: the usual values of hi/@rend (TEI Stylesheets' names, and CSS-like ones) -->
  <xsl:template match="tei:emph | tei:foreign | tei:title[not(ancestor::tei:teiHeader)]
                       | tei:mentioned | tei:soCalled | tei:term[not(@target | @corresp | @ref)]">
    <i><xsl:call-template name="cm:id"/><xsl:call-template name="cm:lang"/><xsl:apply-templates/></i>
  </xsl:template>
  <!-- hi: one HTML element per rendition, nested (bold italic is <b><i>…</i></b>); the
       renditions HTML has no element for are classes (rend-smallcaps …, styled by the CSS). -->
  <xsl:template match="tei:hi">
    <xsl:variable name="rends" select="cm:renditions(.)"/>
    <xsl:variable name="tags" select="distinct-values($rends ! cm:rendition-element(.))"/>
    <xsl:variable name="classes" select="distinct-values($rends[not(cm:rendition-element(.))]
      [. = ('smallcaps', 'small-caps', 'smcap', 'sc', 'allcaps', 'uppercase', 'caps', 'center', 'right', 'left',
            'large', 'small', 'normalweight', 'roman', 'color(red)')] ! replace(replace(., '^(smcap|sc|small-caps)$', 'smallcaps'), '\W', ''))"/>
    <xsl:choose>
      <xsl:when test="empty($tags) and empty($classes)"><span class="hi"><xsl:apply-templates/></span></xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="cm:nest">
          <xsl:with-param name="tags" select="$tags"/>
          <xsl:with-param name="classes" select="$classes"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="cm:nest">
    <xsl:param name="tags" as="xs:string*"/>
    <xsl:param name="classes" as="xs:string*"/>
    <xsl:choose>
      <xsl:when test="exists($tags)">
        <xsl:element name="{$tags[1]}">
          <xsl:call-template name="cm:nest">
            <xsl:with-param name="tags" select="tail($tags)"/>
            <xsl:with-param name="classes" select="$classes"/>
          </xsl:call-template>
        </xsl:element>
      </xsl:when>
      <xsl:when test="exists($classes)">
        <span class="{string-join(('hi', $classes ! ('rend-' || .)), ' ')}"><xsl:apply-templates/></span>
      </xsl:when>
      <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:variable name="cm:strike-renditions" as="xs:string+"
                select="('strikethrough', 'strike', 'overstrike', 'doublestrikethrough', 'line-through')"/>
  <xsl:function name="cm:rendition-element" as="xs:string?">
    <xsl:param name="rend" as="xs:string"/>
    <xsl:sequence select="
      if ($rend = ('italic', 'italics', 'it', 'i')) then 'i'
      else if ($rend = ('bold', 'b', 'strong')) then 'b'
      else if ($rend = ('sup', 'superscript', 'above')) then 'sup'
      else if ($rend = ('sub', 'subscript', 'below')) then 'sub'
      else if ($rend = $cm:strike-renditions) then 's'
      else if ($rend = ('underline', 'ul', 'u', 'doubleunderline', 'wavyunderline')) then 'u'
      else if ($rend = ('typewriter', 'code', 'monospace')) then 'code'
      else ()"/>
  </xsl:function>

  <xsl:template match="tei:gi | tei:code | tei:att | tei:tag"><code><xsl:apply-templates/></code></xsl:template>

  <xsl:template match="tei:stamp">
    <span class="stamp" title="declassification stamp"><xsl:apply-templates/></span>
  </xsl:template>

  <xsl:template match="tei:date">
    <xsl:choose>
      <xsl:when test="matches(@when, '^\d{4}(-\d{2}(-\d{2})?)?$')">
        <time datetime="{@when}"><xsl:apply-templates/></time>
      </xsl:when>
      <xsl:when test="matches(@when, '^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$')">
        <time datetime="{@when}"><xsl:apply-templates/></time>
      </xsl:when>
      <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Tokens of a linguistically annotated text: a space between two tokens unless one of
       them says it is joined (@join = right, left or both); the layout of the file is not
       read as spacing. -->
  <xsl:template match="text()[preceding-sibling::*[1][self::tei:w or self::tei:pc] or following-sibling::*[1][self::tei:w or self::tei:pc]]
                       [cm:between-tokens(.)]">
    <xsl:if test="not(cm:joined(.))"><xsl:text> </xsl:text></xsl:if>
  </xsl:template>

  <!-- ============================================================ page furniture -->

  <xsl:template match="tei:fw">
    <span class="fw fw-{(@type, 'other')[1] ! replace(., '[^\w-]', '')}{if (@place) then ' place-' || replace(@place, '[^\w-]', '') else ''}"
          title="{if (@type = 'classification') then 'classification mark' else if (@type = 'pageNum') then 'page number' else 'page furniture'} as printed">
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <!-- Whether $s ends with a character that is not XML whitespace (matches($s, '\S$')), and
       whether it starts with one that is (matches($s, '^\s')): without Saxon's regular
       expression engine, which tried the pattern at every character of the text before a
       page break (about 50 microseconds a page break; issue 18). -->
  <xsl:function name="cm:ends-in-non-space" as="xs:boolean">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="$s != '' and not(substring($s, string-length($s)) = $cm:xml-whitespace)"/>
  </xsl:function>
  <xsl:function name="cm:starts-with-space" as="xs:boolean">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="substring($s, 1, 1) = $cm:xml-whitespace"/>
  </xsl:function>

  <!-- A page break in the margin; its label has a space before and after it unless the text
       has one there already (copied text never runs the page number into a word), or the
       break falls inside a word. -->
  <xsl:template match="tei:pb">
    <xsl:param name="moved" as="xs:boolean" tunnel="yes" select="false()"/>
    <xsl:if test="not(@break = 'no') and not($moved) and cm:ends-in-non-space(string(preceding::text()[not(ancestor::tei:teiHeader)][1]))"><xsl:text> </xsl:text></xsl:if>
    <span class="pb" role="separator" aria-label="{if (@n) then 'Page ' || @n else 'Page break'}">
      <xsl:choose>
        <xsl:when test="cm:targeted(.)"><xsl:attribute name="id" select="@xml:id"/></xsl:when>
        <xsl:when test="@n and key('cm:pages-by-n', @n)[1] is . and not(cm:targeted(key('cm:pages-by-n', @n)[1]))">
          <xsl:attribute name="id" select="'page-' || replace(@n, '[\s\[\]]', '')"/>
        </xsl:when>
      </xsl:choose>
      <xsl:value-of select="if (normalize-space(@n)) then 'p. ' || @n else 'page'"/>
    </span>
    <xsl:if test="not(@break = 'no') and ($moved or not(cm:starts-with-space(string((following::text()[not(ancestor::tei:teiHeader)])[1]))))"><xsl:text> </xsl:text></xsl:if>
  </xsl:template>

  <!-- ============================================================ names and pointers -->

  <xsl:template match="tei:persName[@ref] | tei:name[@ref]">
    <xsl:variable name="id" select="cm:person-id(., string(@ref))"/>
    <xsl:choose>
      <xsl:when test="cm:in-link(.)"><span class="name"><xsl:apply-templates/></span></xsl:when>
      <xsl:when test="$id"><a class="person" href="persons.html#{$id}"><xsl:apply-templates/></a></xsl:when>
      <xsl:when test="cm:href(., @ref)"><a class="name" href="{cm:href(., @ref)}"><xsl:apply-templates/></a></xsl:when>
      <xsl:otherwise><span class="name"><xsl:apply-templates/></span></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A name, term or gloss pointing at an entry of the volume's lists (FRUS persons and
       terms: @corresp, @target), or any local pointer: a link to where it is published. -->
  <xsl:template match="*[@corresp | @target][cm:href(., (@target, @corresp)[1])][not(self::tei:note)][not(cm:in-link(.))]" priority="-0.25">
    <a class="{local-name()}" href="{cm:href(., (@target, @corresp)[1])}"><xsl:call-template name="cm:id"/><xsl:apply-templates/></a>
  </xsl:template>

  <!-- External links only when they are plain web links; anything else stays as text. -->
  <xsl:template match="tei:ref[matches(@target, '^https?://\S+$')][not(cm:in-link(.))]">
    <a href="{@target}"><xsl:apply-templates/></a>
  </xsl:template>

  <!-- A pointer without content: its target, as a link when it can be one. -->
  <xsl:template match="tei:ptr">
    <xsl:variable name="ptr" select="."/>
    <xsl:for-each select="tokenize(normalize-space(@target), ' ')">
      <xsl:if test="position() gt 1"><xsl:text> </xsl:text></xsl:if>
      <xsl:variable name="href" select="if (matches(., '^https?://\S+$')) then . else cm:href($ptr, .)"/>
      <xsl:choose>
        <xsl:when test="$href and not(cm:in-link($ptr))"><a class="ptr" href="{$href}"><xsl:value-of select="."/></a></xsl:when>
        <xsl:otherwise><span class="ptr"><xsl:value-of select="."/></span></xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="tei:surface"/>

  <!-- Anything else (including other namespaces, e.g. FRUS's frus:*): its content; where
       something points at it, an anchor first. -->
  <xsl:template match="*">
    <xsl:if test="cm:targeted(.)"><span id="{@xml:id}" class="anchor"></span></xsl:if>
    <xsl:apply-templates/>
  </xsl:template>

</xsl:stylesheet>
