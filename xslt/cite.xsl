<?xml version="1.0" encoding="UTF-8"?>
<!--
  cite.xsl - how to cite one TEI document, in every format cmctei publishes.

  Output: one JSON object (method json) with the keys
    chicago-note, chicago-short, chicago-bibliography        plain text
    chicago-note-html, chicago-bibliography-html             HTML fragments (titles of books in <i>)
    csl        a CSL-JSON item (citation-style-language/schema csl-data.json)
    bibtex     a biblatex entry (BibTeX syntax);  ris  an RIS record
  cmctei writes them to build/cite/<docid>.{txt,html,json,bib,ris}.

  Parameters (declared in citation.xsl, which this includes):
    canonical-url  (xs:string, default '')  the document page's address when the site
                   has a base URL (cmctei publish, option base-url); every format then ends
                   with it. Empty: no URL anywhere.

  What is cited comes from citation.xsl (the facts, read once); this file only
  writes them. The Chicago Manual of Style, 17th edition, notes and bibliography,
  written the way the official Chicago CSL styles (citeproc-js, Zotero) write
  the same facts, so that a reader's reference manager gives the same words as
  this page. The shapes (the fact c:route):
    letter      "Anatoly Dobrynin, ciphered telegram to Soviet Ministry of Foreign
                Affairs, October 27, 1962, Archive ..., Moscow."  (CSL personal_communication;
                printed in an edition, the date is CSL event-date and issued is the edition's year)
    chapter     "Author, “Title,” in Book, vol. 11, Volume Title, ed. X, date (Place:
                Publisher, Year), doc. 96."  (CSL chapter; no author: the editors lead, "eds.")
    manuscript  "Author, “Title,” genre, date, Collection, Archive, Place."  (CSL manuscript)
    book        TEI from elsewhere cited as the edition its header describes: "Author,
                Title, vol. 3, Volume Title, ed. X (1726; Place: Publisher, Year), URL."  (CSL book)
  docs/citations.md gives every fact's place in every format, with the clients'
  documentation for each choice.

  Italics are elements from the start (never marker characters in the text), so
  whatever a title holds is text in every output.
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns:tei="http://www.tei-c.org/ns/1.0"
                xmlns:cm="urn:cmctei"
                xmlns:c="urn:cmctei:citation"
                xmlns:map="http://www.w3.org/2005/xpath-functions/map"
                xmlns:array="http://www.w3.org/2005/xpath-functions/array"
                exclude-result-prefixes="#all">

  <xsl:include href="common.xsl"/>
  <xsl:include href="citation.xsl"/>
  <xsl:output method="json" indent="yes" encoding="UTF-8"/>

  <!-- ============================================================ names, as Chicago writes them -->

  <!-- In notes, four or more names are the first "et al." (CMOS 14.76; the CSL styles' et-al-min 4). -->
  <xsl:function name="c:names-note" as="xs:string">
    <xsl:param name="names" as="map(*)*"/>
    <xsl:sequence select="if (count($names) ge 4) then c:display($names[1]) || ' et al.' else c:and($names ! c:display(.))"/>
  </xsl:function>

  <xsl:function name="c:names-short" as="xs:string">
    <xsl:param name="names" as="map(*)*"/>
    <xsl:sequence select="if (count($names) ge 4) then c:short($names[1]) || ' et al.' else c:and($names ! c:short(.))"/>
  </xsl:function>

  <!-- "Charles de Gaulle" → "Gaulle, Charles de" (CMOS 8.5: a lower-case particle follows the
       given name when the name is inverted; the CSL processors do the same). -->
  <xsl:function name="c:inverted-chicago" as="xs:string">
    <xsl:param name="name" as="map(*)"/>
    <xsl:variable name="particles" select="if (matches(string($name?family), '^\p{Ll}+\s')) then replace($name?family, '^((\p{Ll}+\s+)+).*$', '$1') else ''"/>
    <xsl:sequence select="if (map:contains($name, 'literal') or not($particles)) then c:inverted($name)
      else string-join((substring($name?family, string-length($particles) + 1),
                        normalize-space(string-join(($name?given, $particles), ' ')), $name?suffix), ', ')"/>
  </xsl:function>

  <!-- In the bibliography the first name is inverted; more than ten: seven and "et al.". -->
  <xsl:function name="c:names-bib" as="xs:string">
    <xsl:param name="names" as="map(*)*"/>
    <xsl:variable name="shown" select="if (count($names) gt 10) then subsequence($names, 1, 7) else $names"/>
    <xsl:variable name="all" select="(c:inverted-chicago($shown[1]), subsequence($shown, 2) ! c:display(.))"/>
    <xsl:sequence select="
      if (count($names) gt 10) then string-join($all, ', ') || ', et al.'
      else if (count($all) = 1) then $all
      else string-join($all[position() lt last()], ', ') || ', and ' || $all[last()]"/>
  </xsl:function>

  <!-- Who leads: the authors, else the editors (as the CSL styles substitute them), else no one. -->
  <xsl:variable name="editors-lead" as="xs:boolean" select="empty($c:authors) and exists($c:editors)"/>
  <xsl:variable name="lead" as="map(*)*" select="if (exists($c:authors)) then $c:authors else $c:editors"/>
  <xsl:variable name="eds" select="if (count($c:editors) gt 1) then 'eds.' else 'ed.'"/>

  <!-- ============================================================ pieces -->

  <!-- "211-224" → "211–24", "101-108" → "101–8", "1496-1504" → "1496–504": the inclusive numbers
       of CMOS 9.61 as the Chicago CSL styles write them (page-range-format "chicago-16") -->
  <xsl:function name="c:page-range" as="xs:string">
    <xsl:param name="pages" as="xs:string"/>
    <xsl:choose>
      <xsl:when test="matches($pages, '^\d+\s*[-–]+\s*\d+$')">
        <xsl:variable name="a" select="replace($pages, '^(\d+).*$', '$1')"/>
        <xsl:variable name="b" select="replace($pages, '^.*?(\d+)$', '$1')"/>
        <xsl:variable name="first" select="xs:integer($a)"/>
        <xsl:variable name="second" select="xs:integer($b)"/>
        <xsl:variable name="end" as="xs:string" select="
          if ($first lt 100 or $first mod 100 = 0 or string-length($a) != string-length($b) or $second le $first) then $b
          else if ($first mod 100 lt 10) then
            (: 101–8, 1103–4: only the part that changed :)
            let $common := (for $i in 1 to string-length($a) return
                              if (substring($a, 1, $i) = substring($b, 1, $i)) then $i else ())[last()]
            return substring($b, ($common, 0)[1] + 1)
          else
            (: 321–28: at least two digits :)
            let $common := (for $i in 1 to string-length($a) - 2 return
                              if (substring($a, 1, $i) = substring($b, 1, $i)) then $i else ())[last()]
            return substring($b, ($common, 0)[1] + 1)"/>
        <xsl:sequence select="$a || '–' || $end"/>
      </xsl:when>
      <xsl:otherwise><xsl:sequence select="$pages"/></xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- "doc. 96"; pages as Chicago abbreviates them, "211–24"; both, "doc. 2, 102–103" (the
       pages then in full, as the CSL processors leave a page variable they cannot parse) -->
  <xsl:variable name="locator" select="if ($c:docno) then string-join(('doc. ' || $c:docno, replace($c:pages, '\s*[-–]+\s*', '–')[.]), ', ')
                                       else c:page-range($c:pages)"/>
  <xsl:variable name="when" select="if ($c:date) then cm:date-long($c:date) else 'n.d.'"/>
  <xsl:variable name="volume-label" select="if ($c:volume-number) then 'vol. ' || $c:volume-number else $c:volume"/>
  <xsl:variable name="imprint" select="string-join((
      string-join(($c:place, $c:publisher)[.], ': '), $c:year)[.], ', ')"/>
  <xsl:variable name="archive-parts" as="xs:string*" select="($c:archive-location, $c:archive, $c:archive-place)[.]"/>
  <!-- A book (TEI from elsewhere) is dated by its publication ("n.d." when unknown, as the
       Chicago styles do), after the year of the text it edits: "(1726; Oxford: Test Press, 2020)". -->
  <xsl:variable name="book-imprint" select="string-join(($c:original-date[.] ! substring(., 1, 4),
      string-join((string-join(($c:place, $c:publisher)[.], ': ')[.], ($c:year[.], 'n.d.')[1]), ', ')), '; ')"/>
  <!-- Where the item is found: a DOI as an address (CMOS 14.8, and the Chicago styles print
       it rather than the URL), else the URL -->
  <xsl:variable name="link" select="if ($c:doi) then 'https://doi.org/' || $c:doi else $c:url"/>
  <!-- the date of a document printed in an edition goes with the edition, after its titles -->
  <xsl:variable name="date-in-container" as="xs:boolean" select="$c:route = 'chapter' and $c:kind != 'chapter' and $c:date != ''"/>

  <!--
    A citation is made of parts: <p> elements holding text, <i> (italics) and <q>
    (a quoted title). c:join writes them with their separators and puts a comma or
    period that follows a quoted title inside the quotation marks (CMOS 6.9).
  -->
  <xsl:function name="c:join" as="node()*">
    <xsl:param name="parts" as="element()*"/>
    <xsl:param name="separator" as="xs:string"/>
    <xsl:param name="end" as="xs:string"/>
    <xsl:variable name="kept" select="$parts[normalize-space(string(.))]"/>
    <xsl:for-each select="$kept">
      <xsl:variable name="punctuation" select="if (position() lt last()) then $separator else $end"/>
      <xsl:variable name="mark" select="if (matches($punctuation, '^[.,;:]')) then substring($punctuation, 1, 1) else ''"/>
      <xsl:variable name="after" select="substring($punctuation, string-length($mark) + 1)"/>
      <xsl:variable name="last" select="node()[last()]"/>
      <xsl:variable name="ends-stop" select="matches(string(.), '[.?!]$')"/>
      <xsl:variable name="mark-kept" select="if ($mark = '.' and $ends-stop) then '' else $mark"/>
      <xsl:choose>
        <xsl:when test="$last/self::q">
          <xsl:sequence select="node()[position() lt last()] ! c:unwrap(.)"/>
          <xsl:value-of select="'“' || string($last) || $mark-kept || '”' || $after"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:sequence select="node() ! c:unwrap(.)"/>
          <xsl:value-of select="$mark-kept || $after"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:function>

  <xsl:function name="c:unwrap" as="node()*">
    <xsl:param name="node" as="node()"/>
    <xsl:choose>
      <xsl:when test="$node/self::q"><xsl:value-of select="'“' || string($node) || '”'"/></xsl:when>
      <xsl:when test="$node/self::i"><i><xsl:value-of select="string($node)"/></i></xsl:when>
      <xsl:otherwise><xsl:sequence select="$node"/></xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <xsl:function name="c:plain" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:sequence select="string-join($nodes ! string(.), '')"/>
  </xsl:function>

  <xsl:function name="c:html" as="xs:string">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:sequence select="serialize($nodes, map { 'method': 'xml', 'omit-xml-declaration': true() })"/>
  </xsl:function>

  <!-- ============================================================ Chicago: note -->

  <xsl:variable name="note" as="node()*">
    <xsl:variable name="container" as="element()*">
      <p>in <i><xsl:value-of select="$c:book"/></i></p>
      <p><xsl:value-of select="$volume-label"/></p>
      <p><i><xsl:value-of select="$c:volume-title"/></i></p>
      <xsl:if test="exists($c:editors) and not($editors-lead)"><p>ed. <xsl:value-of select="c:and($c:editors ! c:display(.))"/></p></xsl:if>
      <xsl:if test="$date-in-container"><p><xsl:value-of select="$when"/></p></xsl:if>
    </xsl:variable>
    <xsl:variable name="book" as="element()*">
      <xsl:if test="$c:show-title"><p><i><xsl:value-of select="$c:title"/></i></p></xsl:if>
      <p><xsl:value-of select="$volume-label"/></p>
      <p><i><xsl:value-of select="$c:volume-title"/></i></p>
      <xsl:if test="exists($c:editors) and not($editors-lead)"><p>ed. <xsl:value-of select="c:and($c:editors ! c:display(.))"/></p></xsl:if>
    </xsl:variable>
    <xsl:variable name="parts" as="element()*">
      <p><xsl:value-of select="c:names-note($lead) || (if ($editors-lead) then ', ' || $eds else '')"/></p>
      <xsl:if test="$c:show-title and $c:route != 'book'"><p><q><xsl:value-of select="$c:title"/></q></p></xsl:if>
      <xsl:choose>
        <xsl:when test="$c:route = 'book'">
          <p><xsl:sequence select="c:join($book, ', ', '')"/> (<xsl:value-of select="$book-imprint"/>)</p>
        </xsl:when>
        <xsl:when test="$c:route = 'letter'">
          <p><xsl:value-of select="string-join(($c:genre[.], 'to', c:and($c:recipients ! c:display(.))), ' ')"/></p>
          <p><xsl:value-of select="$when"/></p>
        </xsl:when>
        <xsl:when test="$c:route = 'manuscript'">
          <p><xsl:value-of select="$c:genre"/></p>
          <p><xsl:value-of select="$when"/></p>
        </xsl:when>
      </xsl:choose>
      <xsl:if test="$c:bibl">
        <p>
          <xsl:sequence select="c:join($container, ', ', '')"/>
          <xsl:if test="$imprint"> (<xsl:value-of select="$imprint"/>)</xsl:if>
        </p>
        <p><xsl:value-of select="$locator"/></p>
      </xsl:if>
      <xsl:for-each select="$archive-parts"><p><xsl:value-of select="."/></p></xsl:for-each>
      <p><xsl:value-of select="$link"/></p>
    </xsl:variable>
    <xsl:sequence select="c:join($parts, ', ', '.')"/>
  </xsl:variable>

  <!-- ============================================================ Chicago: short note -->

  <xsl:variable name="short" as="node()*">
    <xsl:variable name="parts" as="element()*">
      <xsl:choose>
        <xsl:when test="$c:route = 'letter' and $c:show-title">
          <p><xsl:value-of select="c:names-short($lead) || (if ($c:genre) then '' else ' to ' || c:names-short($c:recipients))"/></p>
          <p><q><xsl:value-of select="$c:title-short"/></q></p>
        </xsl:when>
        <xsl:when test="$c:route = 'letter' and not($retrievable)">
          <!-- a letter nobody can look up is named in full, as in running text (CMOS 14.111) -->
          <p><xsl:value-of select="c:names-note($lead) || (if ($c:genre) then '' else ' to ' || c:names-note($c:recipients))"/></p>
          <xsl:if test="$c:genre"><p><xsl:value-of select="$c:genre || ' to ' || c:names-short($c:recipients)"/></p></xsl:if>
          <p><xsl:value-of select="$when"/></p>
        </xsl:when>
        <xsl:when test="$c:route = 'letter'">
          <p><xsl:value-of select="c:names-short($lead) || (if ($c:genre) then '' else ' to ' || c:names-short($c:recipients))"/></p>
          <xsl:if test="$c:genre"><p><xsl:value-of select="$c:genre || ' to ' || c:names-short($c:recipients)"/></p></xsl:if>
          <p><xsl:value-of select="$when"/></p>
        </xsl:when>
        <xsl:otherwise>
          <p><xsl:value-of select="c:names-short($lead)"/></p>
          <xsl:choose>
            <xsl:when test="$c:show-title and $c:route = 'book'">
              <p><i><xsl:value-of select="$c:title-short"/></i></p>
              <p><xsl:value-of select="$volume-label"/></p>
            </xsl:when>
            <xsl:when test="$c:show-title"><p><q><xsl:value-of select="$c:title-short"/></q></p></xsl:when>
            <xsl:otherwise><p><xsl:value-of select="$c:genre"/></p></xsl:otherwise>
          </xsl:choose>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:sequence select="c:join($parts, ', ', '.')"/>
  </xsl:variable>

  <!-- ============================================================ Chicago: bibliography -->

  <!-- A document a reader cannot find again (no archive, edition or address) has no
       bibliography entry (CMOS 14.114, 14.118; the CSL styles omit it too). -->
  <xsl:variable name="retrievable" as="xs:boolean"
                select="exists($c:bibl) or $c:route = 'book' or ($c:archive, $c:archive-place, $c:url) != ''"/>

  <xsl:variable name="bibliography" as="node()*">
    <xsl:variable name="container" as="element()*">
      <p>In <i><xsl:value-of select="$c:book"/></i></p>
      <p><xsl:value-of select="$volume-label"/></p>
      <p><i><xsl:value-of select="$c:volume-title"/></i></p>
      <xsl:if test="exists($c:editors) and not($editors-lead)"><p>edited by <xsl:value-of select="c:and($c:editors ! c:display(.))"/></p></xsl:if>
      <p><xsl:value-of select="$locator"/></p>
    </xsl:variable>
    <xsl:variable name="parts" as="element()*">
      <p><xsl:value-of select="if (exists($lead)) then c:names-bib($lead) || (if ($editors-lead) then ', ' || $eds else '') else ''"/></p>
      <xsl:if test="$c:show-title and $c:route != 'book'"><p><q><xsl:value-of select="$c:title"/></q></p></xsl:if>
      <xsl:choose>
        <xsl:when test="$c:route = 'book'">
          <xsl:if test="$c:show-title"><p><i><xsl:value-of select="$c:title"/></i></p></xsl:if>
          <xsl:variable name="volume" as="element()*">
            <p><xsl:value-of select="c:capital($volume-label)"/></p>
            <p><i><xsl:value-of select="$c:volume-title"/></i></p>
          </xsl:variable>
          <p><xsl:sequence select="c:join($volume, ', ', '')"/></p>
          <xsl:if test="exists($c:editors) and not($editors-lead)"><p>Edited by <xsl:value-of select="c:and($c:editors ! c:display(.))"/></p></xsl:if>
          <p><xsl:value-of select="$book-imprint"/></p>
        </xsl:when>
        <xsl:when test="$c:route = 'letter'">
          <p><xsl:value-of select="c:capital(string-join(($c:genre[.], 'to', c:and($c:recipients ! c:display(.))), ' ')) || ', ' || $when"/></p>
        </xsl:when>
        <xsl:when test="$c:route = 'manuscript'">
          <p><xsl:value-of select="c:capital($c:genre)"/></p>
          <p><xsl:value-of select="$when"/></p>
        </xsl:when>
      </xsl:choose>
      <xsl:if test="$c:bibl">
        <p><xsl:sequence select="c:join($container, ', ', '')"/></p>
        <xsl:if test="$date-in-container"><p><xsl:value-of select="$when"/></p></xsl:if>
        <p><xsl:value-of select="$imprint"/></p>
      </xsl:if>
      <p><xsl:value-of select="$c:archive-location"/></p>
      <p><xsl:value-of select="string-join(($c:archive, $c:archive-place)[.], ', ')"/></p>
      <p><xsl:value-of select="$link"/></p>
    </xsl:variable>
    <xsl:sequence select="if ($retrievable) then c:join($parts, '. ', '.') else ()"/>
  </xsl:variable>

  <!-- ============================================================ CSL-JSON -->

  <xsl:function name="c:csl-name" as="map(*)">
    <xsl:param name="name" as="map(*)"/>
    <xsl:sequence select="map:merge((
      if (map:contains($name, 'literal')) then map { 'literal': $name?literal }
      else (map { 'family': $name?family }, $name?given[.] ! map { 'given': . }, $name?suffix ! map { 'suffix': . })))"/>
  </xsl:function>

  <xsl:function name="c:csl-date" as="map(*)">
    <xsl:param name="parts" as="xs:integer*"/>
    <xsl:sequence select="map { 'date-parts': [ array { $parts } ] }"/>
  </xsl:function>

  <xsl:variable name="csl" as="map(*)">
    <xsl:map>
      <xsl:map-entry key="'id'" select="cm:docid($c:tei)"/>
      <xsl:map-entry key="'type'" select="map { 'letter': 'personal_communication', 'chapter': 'chapter',
                                                'manuscript': 'manuscript', 'book': 'book' }($c:route)"/>
      <xsl:if test="$c:show-title">
        <xsl:map-entry key="'title'" select="$c:title"/>
        <xsl:if test="$c:title-short != $c:title"><xsl:map-entry key="'title-short'" select="$c:title-short"/></xsl:if>
      </xsl:if>
      <xsl:if test="exists($c:authors)">
        <xsl:map-entry key="'author'" select="array { $c:authors ! c:csl-name(.) }"/>
      </xsl:if>
      <xsl:if test="exists($c:recipients)">
        <xsl:map-entry key="'recipient'" select="array { $c:recipients ! c:csl-name(.) }"/>
      </xsl:if>
      <xsl:if test="exists($c:editors)">
        <xsl:map-entry key="'editor'" select="array { $c:editors ! c:csl-name(.) }"/>
      </xsl:if>
      <xsl:if test="$c:genre"><xsl:map-entry key="'genre'" select="$c:genre"/></xsl:if>
      <!-- issued: the edition's or book's year for what was printed, else the document's date -->
      <xsl:choose>
        <xsl:when test="$c:bibl">
          <xsl:if test="$c:year"><xsl:map-entry key="'issued'" select="c:csl-date(xs:integer($c:year))"/></xsl:if>
          <xsl:if test="$date-in-container or ($c:bibl and $c:route = 'letter' and $c:date)">
            <xsl:map-entry key="'event-date'" select="c:csl-date($c:date-parts)"/>
          </xsl:if>
          <!-- an undated letter printed in an edition: "n.d." where the note says it -->
          <xsl:if test="$c:route = 'letter' and not($c:date)">
            <xsl:map-entry key="'event-date'" select="map { 'literal': $when }"/>
          </xsl:if>
        </xsl:when>
        <!-- a book: the year it was published, and the date of the text it edits -->
        <xsl:when test="$c:route = 'book'">
          <xsl:if test="$c:year != ''"><xsl:map-entry key="'issued'" select="c:csl-date(xs:integer($c:year))"/></xsl:if>
          <xsl:if test="$c:original-date">
            <xsl:map-entry key="'original-date'" select="c:csl-date(tokenize($c:original-date, '-')[.] ! xs:integer(.))"/>
          </xsl:if>
        </xsl:when>
        <xsl:when test="$c:date">
          <xsl:map-entry key="'issued'" select="c:csl-date($c:date-parts)"/>
        </xsl:when>
      </xsl:choose>
      <xsl:if test="$c:bibl">
        <xsl:if test="$c:book"><xsl:map-entry key="'container-title'" select="$c:book"/></xsl:if>
        <xsl:if test="$c:volume-title"><xsl:map-entry key="'volume-title'" select="$c:volume-title"/></xsl:if>
        <xsl:if test="$c:volume"><xsl:map-entry key="'volume'" select="($c:volume-number[.], $c:volume)[1]"/></xsl:if>
        <xsl:if test="$c:locator"><xsl:map-entry key="'page'" select="$c:locator"/></xsl:if>
        <xsl:if test="$c:publisher"><xsl:map-entry key="'publisher'" select="$c:publisher"/></xsl:if>
        <xsl:if test="$c:place"><xsl:map-entry key="'publisher-place'" select="$c:place"/></xsl:if>
      </xsl:if>
      <xsl:if test="$c:route = 'book'">
        <xsl:if test="$c:volume-title"><xsl:map-entry key="'volume-title'" select="$c:volume-title"/></xsl:if>
        <xsl:if test="$c:volume"><xsl:map-entry key="'volume'" select="($c:volume-number[.], $c:volume)[1]"/></xsl:if>
        <xsl:if test="$c:publisher"><xsl:map-entry key="'publisher'" select="$c:publisher"/></xsl:if>
        <xsl:if test="$c:place"><xsl:map-entry key="'publisher-place'" select="$c:place"/></xsl:if>
      </xsl:if>
      <xsl:if test="$c:isbn"><xsl:map-entry key="'ISBN'" select="$c:isbn"/></xsl:if>
      <xsl:if test="$c:doi"><xsl:map-entry key="'DOI'" select="$c:doi"/></xsl:if>
      <xsl:if test="$c:archive"><xsl:map-entry key="'archive'" select="$c:archive"/></xsl:if>
      <xsl:if test="$c:archive-place"><xsl:map-entry key="'archive-place'" select="$c:archive-place"/></xsl:if>
      <xsl:if test="$c:archive-location"><xsl:map-entry key="'archive_location'" select="$c:archive-location"/></xsl:if>
      <xsl:if test="$c:url"><xsl:map-entry key="'URL'" select="$c:url"/></xsl:if>
      <xsl:if test="$c:language"><xsl:map-entry key="'language'" select="$c:language"/></xsl:if>
      <!-- CSL has no variable for a licence: a note, which the Chicago styles do not print -->
      <xsl:if test="$c:licence"><xsl:map-entry key="'note'" select="'Licence: ' || $c:licence"/></xsl:if>
    </xsl:map>
  </xsl:variable>

  <!-- ============================================================ BibTeX (biblatex data model) -->

  <!-- Any text as BibTeX/LaTeX text: every character that means something to TeX or to
       BibTeX's parser is written as a command, braces included (BibTeX counts braces even
       after a backslash, so "\{" could still unbalance an entry). ^ is a command too, so
       TeX's ^^7b notation cannot arise. A no-break space is TeX's ~ (BibTeX readers would
       collapse the character itself into a space). -->
  <xsl:variable name="tex-escapes" as="map(xs:integer, xs:string)" select="map {
      92: '\textbackslash{}', 123: '\textbraceleft{}', 125: '\textbraceright{}',
      36: '\$', 38: '\&amp;', 35: '\#', 37: '\%', 95: '\_',
      94: '\textasciicircum{}', 126: '\textasciitilde{}', 160: '~' }"/>

  <xsl:function name="c:tex" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="string-join(string-to-codepoints($s) ! ($tex-escapes(.), codepoints-to-string(.))[1], '')"/>
  </xsl:function>

  <!-- A name part is braced when BibTeX's name parser would read into it: a comma,
       the word "and", or a lower-case word (taken for a "von" part). -->
  <xsl:function name="c:tex-part" as="xs:string">
    <xsl:param name="part" as="xs:string"/>
    <xsl:sequence select="if (matches($part, ',|(^|\s)and(\s|$)|(^|\s)\p{Ll}'))
                          then '{' || c:tex($part) || '}' else c:tex($part)"/>
  </xsl:function>

  <xsl:function name="c:tex-name" as="xs:string">
    <xsl:param name="name" as="map(*)"/>
    <xsl:sequence select="if (map:contains($name, 'literal')) then '{' || c:tex($name?literal) || '}'
      else string-join((c:tex-part($name?family), $name?suffix ! c:tex-part(.), $name?given[.] ! c:tex-part(.)), ', ')"/>
  </xsl:function>

  <xsl:function name="c:tex-key" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="replace($key, '[^A-Za-z0-9._:-]', '-')"/>
  </xsl:function>

  <!-- babel's language names (biblatex langid) for the primary language subtag -->
  <xsl:variable name="langid" select="map { 'en': 'english', 'ru': 'russian', 'es': 'spanish', 'fr': 'french',
                                            'de': 'german', 'it': 'italian', 'pt': 'portuguese', 'ca': 'catalan',
                                            'nl': 'dutch', 'sv': 'swedish', 'da': 'danish', 'nb': 'norsk', 'nn': 'nynorsk',
                                            'fi': 'finnish', 'pl': 'polish', 'cs': 'czech', 'sk': 'slovak',
                                            'sl': 'slovene', 'hr': 'croatian', 'sr': 'serbian', 'hu': 'hungarian',
                                            'ro': 'romanian', 'bg': 'bulgarian', 'uk': 'ukrainian', 'el': 'greek',
                                            'la': 'latin', 'tr': 'turkish', 'he': 'hebrew', 'ga': 'irish', 'cy': 'welsh',
                                            'is': 'icelandic', 'et': 'estonian', 'lv': 'latvian', 'lt': 'lithuanian',
                                            'eu': 'basque', 'gl': 'galician' }(replace($c:language, '-.*$', ''))"/>

  <!-- The entry type follows the biblatex data model's mandatory fields: @incollection
       (author, editor, title, booktitle, date), @inbook (author, title, booktitle, date);
       a printed document with no author or no known year is @misc, dated by itself,
       its edition in howpublished; an archival one @unpublished (author, title, date),
       or @misc without an author; a book (TEI from elsewhere) @book (author, title, date),
       @collection (editor, title, date), or @misc. -->
  <xsl:variable name="bib-type" as="xs:string" select="
      if ($c:route = 'book') then (if (not($bib-book-date)) then 'misc' else if (exists($c:authors)) then 'book'
                                   else if (exists($c:editors)) then 'collection' else 'misc')
      else if ($c:bibl and exists($c:authors) and $c:year) then (if (exists($c:editors)) then 'incollection' else 'inbook')
      else if (not($c:bibl) and exists($c:authors) and $c:date) then 'unpublished'
      else 'misc'"/>
  <!-- biblatex wants a title: a letter without one is called what it is, as in the bibliography -->
  <xsl:variable name="bib-title" select="$c:item-title"/>
  <!-- What the Chicago note says after the title that no field of the entry says:
       printed by biblatex's standard styles right after the title. -->
  <xsl:variable name="bib-titleaddon" select="string-join((
      if ($c:route = 'letter' and $c:show-title) then string-join(($c:genre[.], 'to', c:and($c:recipients ! c:display(.))), ' ')
      else if ($c:route = 'manuscript' and $c:show-title) then $c:genre else (),
      if ($bib-type = ('incollection', 'inbook') and $c:kind != 'chapter' and $c:date) then $when else ())[.], ', ')"/>
  <!-- an undated document printed in an edition (@misc) is dated by the edition it is cited in;
       a book by its publication, else by the text it edits (biblatex wants a date) -->
  <xsl:variable name="bib-book-date" select="($c:year[.], $c:original-date)[1]"/>
  <xsl:variable name="bib-date" select="if ($bib-type = ('incollection', 'inbook')) then $c:year
                                        else if ($c:route = 'book') then $bib-book-date
                                        else if ($c:date or not($c:bibl)) then $c:date else $c:year"/>
  <xsl:variable name="bib-origdate" select="
      if ($bib-type = ('incollection', 'inbook') and $c:kind != 'chapter') then $c:date
      else if ($c:route = 'book' and $c:year) then $c:original-date else ''"/>

  <xsl:variable name="bibtex" as="xs:string">
    <xsl:variable name="fields" as="xs:string*" select="(
      if (exists($c:authors)) then 'author = {' || string-join($c:authors ! c:tex-name(.), ' and ') || '}' else (),
      if (exists($c:editors)) then 'editor = {' || string-join($c:editors ! c:tex-name(.), ' and ') || '}' else (),
      if ($bib-type = ('book', 'collection') and $c:volume-title) then ('maintitle = {{' || c:tex($c:book) || '}}', 'title = {{' || c:tex($c:volume-title) || '}}')
      else if ($bib-type = ('book', 'collection')) then 'title = {{' || c:tex($c:book) || '}}'
      else if ($c:route = 'book') then 'title = {{' || c:tex(string-join(($c:book, $volume-label, $c:volume-title)[.], ', ')) || '}}'
      else 'title = {{' || c:tex($bib-title) || '}}',
      $bib-titleaddon[.] ! ('titleaddon = {' || c:tex(.) || '}'),
      (: a volume that is not a number (Retrospective Volume) cannot be biblatex's volume :)
      if ($bib-type = ('book', 'collection') and $c:volume and not($c:volume-number)) then 'titleaddon = {' || c:tex($c:volume) || '}' else (),
      if ($c:show-title and $c:title-short != $c:title and not($c:route = 'book' and $c:volume-title)) then 'shorttitle = {{' || c:tex($c:title-short) || '}}' else (),
      if ($bib-type = ('book', 'collection')) then (
        $c:volume-number[.] ! ('volume = {' || . || '}'),
        $c:publisher[.] ! ('publisher = {' || c:tex(.) || '}'),
        $c:place[.] ! ('location = {' || c:tex(.) || '}'),
        $c:isbn[.] ! ('isbn = {' || . || '}')
      ) else if ($c:route = 'book') then
        string-join(($c:place, $c:publisher)[.], ': ')[.] ! ('howpublished = {' || c:tex(.) || '}')
      else if ($bib-type = ('incollection', 'inbook')) then (
        if ($c:volume-title) then ('maintitle = {{' || c:tex($c:book) || '}}', 'booktitle = {{' || c:tex($c:volume-title) || '}}')
        else 'booktitle = {{' || c:tex($c:book) || '}}',
        $c:volume-number[.] ! ('volume = {' || . || '}'),
        $c:publisher[.] ! ('publisher = {' || c:tex(.) || '}'),
        $c:place[.] ! ('location = {' || c:tex(.) || '}'),
        if ($c:docno) then 'pages = {' || c:tex(replace($c:locator, '\s*[-–]+\s*', '--')) || '}'
        else $c:pages[.] ! ('pages = {' || c:tex(replace(., '\s*[-–]+\s*', '--')) || '}'),
        $c:isbn[.] ! ('isbn = {' || . || '}')
      ) else if ($c:bibl) then
        'howpublished = {' || c:tex(c:plain(c:join(($container-plain, $imprint-part, $locator-part), ', ', ''))) || '}'
      else (),
      $bib-date[.] ! ('date = {' || . || '}', 'year = {' || substring(., 1, 4) || '}'),
      $bib-origdate[.] ! ('origdate = {' || . || '}'),
      if (exists($archive-parts)) then 'addendum = {' || c:tex(string-join($archive-parts, ', ')) || '}' else (),
      $c:doi[.] ! ('doi = {' || c:tex(.) || '}'),
      $c:url[.] ! ('url = {' || c:tex(.) || '}'),
      $c:licence[.] ! ('note = {Licence: ' || c:tex(.) || '}'),
      $langid ! ('langid = {' || . || '}')
    )"/>
    <xsl:sequence select="'@' || $bib-type || '{' || c:tex-key(cm:docid($c:tei)) || ',&#10;'
                          || string-join($fields ! ('  ' || .), ',&#10;') || '&#10;}&#10;'"/>
  </xsl:variable>

  <!-- the edition, as the note says it, for a @misc's howpublished -->
  <xsl:variable name="container-plain" as="element()*">
    <p>in <xsl:value-of select="string-join(($c:book, $volume-label, $c:volume-title,
        if (exists($c:editors)) then 'ed. ' || c:and($c:editors ! c:display(.)) else ())[.], ', ')"/></p>
  </xsl:variable>
  <xsl:variable name="imprint-part" as="element()*"><p><xsl:value-of select="$imprint"/></p></xsl:variable>
  <xsl:variable name="locator-part" as="element()*"><p><xsl:value-of select="$locator"/></p></xsl:variable>

  <!-- ============================================================ RIS (Zotero's RIS import table) -->

  <xsl:function name="c:ris-name" as="xs:string">
    <xsl:param name="name" as="map(*)"/>
    <xsl:sequence select="if (map:contains($name, 'literal')) then $name?literal else c:inverted($name)"/>
  </xsl:function>

  <xsl:variable name="ris-type" select="if ($c:bibl) then 'CHAP' else if ($c:route = 'letter') then 'PCOMM'
                                        else if ($c:route = 'book') then 'BOOK' else 'MANSCPT'"/>

  <xsl:variable name="ris" as="xs:string">
    <xsl:variable name="notes" as="xs:string*" select="(
      if ($c:bibl and $c:kind != 'chapter' and $c:date) then 'Date of the document: ' || $when else (),
      if ($c:route = 'letter' and $ris-type = 'CHAP') then 'To ' || c:and($c:recipients ! c:display(.)) else (),
      if ($c:bibl and $c:genre) then 'Kind of document: ' || $c:genre else (),
      if ($c:volume-number and $c:volume-number != $c:volume) then 'Volume as printed: ' || $c:volume else (),
      if ($c:original-date) then 'Date of the document: ' || cm:date-long($c:original-date) else (),
      if ($c:licence) then 'Licence: ' || $c:licence else ())"/>
    <xsl:variable name="lines" as="xs:string*" select="(
      'TY  - ' || $ris-type,
      'TI  - ' || $bib-title,
      if ($c:show-title and $c:title-short != $c:title) then 'ST  - ' || $c:title-short else (),
      $c:authors ! ('AU  - ' || c:ris-name(.)),
      if ($ris-type = 'PCOMM') then $c:recipients ! ('A2  - ' || c:ris-name(.)) else (),
      if ($c:bibl) then (
        $c:editors ! ('A2  - ' || c:ris-name(.)),
        if ($c:volume-title) then ('T2  - ' || $c:volume-title, 'T3  - ' || $c:book) else $c:book[.] ! ('T2  - ' || .),
        ($c:volume-number[.], $c:volume)[1][.] ! ('VL  - ' || .),
        if ($c:docno) then 'SP  - ' || $c:locator
        else if (matches($c:pages, '^\S+\s*[-–]+\s*\S+$')) then ('SP  - ' || replace($c:pages, '\s*[-–].*$', ''), 'EP  - ' || replace($c:pages, '^.*[-–]\s*', ''))
        else $c:pages[.] ! ('SP  - ' || .),
        $c:publisher[.] ! ('PB  - ' || .),
        $c:place[.] ! ('CY  - ' || .),
        $c:year[.] ! ('PY  - ' || .)
      ) else if ($c:route = 'book') then (
        (: Zotero reads a book's A3 as its editors (A2: the series editor) :)
        $c:editors ! ('A3  - ' || c:ris-name(.)),
        ($c:volume-number[.], $c:volume)[1][.] ! ('VL  - ' || .),
        $c:publisher[.] ! ('PB  - ' || .),
        $c:place[.] ! ('CY  - ' || .),
        $c:year[.] ! ('PY  - ' || .)
      ) else if ($c:date) then (
        'PY  - ' || substring($c:date, 1, 4),
        'DA  - ' || string-join(($c:date-parts ! format-number(., '00'), '', '', '')[position() le 3], '/') || '/'
      ) else (),
      if ($ris-type != 'CHAP' and $c:genre) then 'M3  - ' || $c:genre else (),
      string-join(($c:archive, $c:archive-place)[.], ', ')[.] ! ('DB  - ' || .),
      $c:archive-location[.] ! ('AN  - ' || .),
      $c:isbn[.] ! ('SN  - ' || .),
      $c:doi[.] ! ('DO  - ' || .),
      $c:url[.] ! ('UR  - ' || .),
      $c:language[.] ! ('LA  - ' || .),
      $notes ! ('N1  - ' || .),
      'ER  - '
    )"/>
    <xsl:sequence select="string-join($lines, '&#10;') || '&#10;'"/>
  </xsl:variable>

  <xsl:template match="/">
    <xsl:sequence select="map {
      'chicago-note': c:plain($note),
      'chicago-short': c:plain($short),
      'chicago-bibliography': c:plain($bibliography),
      'chicago-note-html': c:html($note),
      'chicago-bibliography-html': c:html($bibliography),
      'csl': $csl,
      'bibtex': $bibtex,
      'ris': $ris
    }"/>
  </xsl:template>

</xsl:stylesheet>
