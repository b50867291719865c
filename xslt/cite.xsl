<?xml version="1.0" encoding="UTF-8"?>
<!--
  cite.xsl - how to cite one TEI document, in every format cmctei publishes.

  Output: one JSON object (method json) with the keys
    chicago-note, chicago-short, chicago-bibliography        plain text
    chicago-note-html, chicago-bibliography-html             HTML fragments (italics as <i>)
    csl        a CSL-JSON item (citation-style-language/schema csl-data.json)
    bibtex     a BibTeX entry;  ris  an RIS record
  cmctei writes them to build/cite/<docid>.{txt,html,json,bib,ris}.

  Parameters: none. Chicago Manual of Style, 17th edition, notes and
  bibliography. What a document is decides its type:
    - printed in an edition or a book (sourceDesc/biblStruct): a chapter
      (CSL chapter, BibTeX @incollection, RIS CHAP), the edition's document
      number given as "doc. N";
    - only an archival original (msDesc): a manuscript (CSL manuscript,
      BibTeX @unpublished, RIS MANSCPT), the archive where each format keeps
      it (CSL archive / archive_location, BibTeX note, RIS DB / AN);
    - a telegram is a manuscript with the genre "ciphered telegram" when the
      text calls itself one, else "telegram".
  Names come from the person register through the document's participants
  (sameAs), so "A. DOBRYNIN" is cited as Anatoly Dobrynin.
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns:tei="http://www.tei-c.org/ns/1.0"
                xmlns:cm="urn:cmctei"
                xmlns:map="http://www.w3.org/2005/xpath-functions/map"
                xmlns:array="http://www.w3.org/2005/xpath-functions/array"
                exclude-result-prefixes="#all">

  <xsl:include href="common.xsl"/>
  <xsl:output method="json" indent="yes" encoding="UTF-8"/>

  <!-- Italic spans are marked with these two characters, then rendered per format. -->
  <xsl:variable name="I" select="'&#xE010;'"/>
  <xsl:variable name="J" select="'&#xE011;'"/>

  <xsl:variable name="tei" select="(/tei:TEI, /*)[1]"/>
  <xsl:variable name="header" select="$tei/tei:teiHeader"/>
  <xsl:variable name="bibl" select="$header//tei:sourceDesc/tei:biblStruct[1]"/>
  <xsl:variable name="ms" select="$header//tei:sourceDesc/tei:msDesc[1]"/>
  <xsl:variable name="recording" select="$header//tei:sourceDesc/tei:recordingStmt[1]"/>
  <xsl:variable name="genre" select="cm:category($tei, 'genre')"/>
  <xsl:variable name="date" select="cm:date($tei)"/>
  <xsl:variable name="title" select="cm:title($tei)"/>
  <xsl:variable name="type" select="if ($bibl) then 'chapter' else 'manuscript'"/>

  <!-- ============================================================ names -->

  <!-- The register's name for a pointer, else the printed name. -->
  <xsl:function name="cm:full-name" as="xs:string">
    <xsl:param name="name" as="element()"/>
    <xsl:variable name="ref" select="string($name/@ref)"/>
    <xsl:variable name="person" select="root($name)//tei:particDesc//tei:person[@sameAs = $ref]"/>
    <xsl:sequence select="normalize-space(($person/tei:persName, $name)[1])"/>
  </xsl:function>

  <!-- "Robert F. Kennedy" → ("Kennedy", "Robert F."); a single word is a family name. -->
  <xsl:function name="cm:split" as="xs:string+">
    <xsl:param name="full" as="xs:string"/>
    <xsl:variable name="words" select="tokenize(normalize-space($full), ' ')"/>
    <xsl:sequence select="($words[last()], string-join($words[position() lt last()], ' '))"/>
  </xsl:function>

  <xsl:function name="cm:inverted" as="xs:string">
    <xsl:param name="full" as="xs:string"/>
    <xsl:variable name="parts" select="cm:split($full)"/>
    <xsl:sequence select="if ($parts[2]) then $parts[1] || ', ' || $parts[2] else $parts[1]"/>
  </xsl:function>

  <xsl:function name="cm:and" as="xs:string">
    <xsl:param name="names" as="xs:string*"/>
    <xsl:sequence select="
      if (count($names) le 1) then string($names[1])
      else if (count($names) = 2) then $names[1] || ' and ' || $names[2]
      else string-join($names[position() lt last()], ', ') || ', and ' || $names[last()]"/>
  </xsl:function>

  <xsl:variable name="authors" as="xs:string*"
                select="if ($genre = 'chapter' and $bibl/tei:analytic/tei:author)
                        then $bibl/tei:analytic/tei:author/(tei:persName, tei:name)[1] ! cm:full-name(.)
                        else $header//tei:titleStmt/tei:author/(tei:persName, tei:name)[1] ! cm:full-name(.)"/>
  <xsl:variable name="recipient-elements" select="$header//tei:correspAction[@type = 'received']/*"/>
  <xsl:variable name="recipients" as="xs:string*" select="$recipient-elements ! cm:full-name(.)"/>
  <!-- Letters, memoranda and cables kept in an archive are cited "A to B". -->
  <xsl:variable name="correspondence" as="xs:boolean"
                select="not($bibl) and $genre = ('telegram', 'memorandum') and exists($authors) and exists($recipients)"/>
  <xsl:variable name="editors" as="xs:string*" select="$bibl/tei:monogr/tei:editor ! normalize-space(.)"/>

  <!-- ============================================================ source parts -->

  <xsl:variable name="book-main" select="normalize-space(($bibl/tei:monogr/tei:title[@type = 'main'], $bibl/tei:monogr/tei:title)[1])"/>
  <xsl:variable name="book-sub" select="normalize-space($bibl/tei:monogr/tei:title[@type = 'sub'][1])"/>
  <xsl:variable name="volume" select="normalize-space($bibl/tei:monogr/tei:biblScope[@unit = 'volume'][1])"/>
  <xsl:variable name="docno" select="normalize-space($bibl/tei:monogr/tei:biblScope[@unit = 'document'][1])"/>
  <xsl:variable name="pages" select="normalize-space($bibl/tei:monogr/tei:biblScope[@unit = 'page'][1])"/>
  <xsl:variable name="place" select="normalize-space($bibl/tei:monogr/tei:imprint/tei:pubPlace[1])"/>
  <xsl:variable name="publisher" select="normalize-space($bibl/tei:monogr/tei:imprint/tei:publisher[1])"/>
  <xsl:variable name="year" select="normalize-space(($bibl/tei:monogr/tei:imprint/tei:date/@when, $bibl/tei:monogr/tei:imprint/tei:date)[1])"/>
  <xsl:variable name="repository" select="normalize-space($ms/tei:msIdentifier/tei:repository[1])"/>
  <xsl:variable name="settlement" select="normalize-space($ms/tei:msIdentifier/tei:settlement[1])"/>
  <xsl:variable name="collection" select="string-join(($ms/tei:msIdentifier/tei:collection, $ms/tei:msIdentifier/tei:idno) ! normalize-space(.), ', ')"/>
  <xsl:variable name="tape" select="normalize-space(string-join($recording//tei:recording, '; '))"/>
  <xsl:variable name="chapter-title" select="normalize-space($bibl/tei:analytic/tei:title[1])"/>

  <xsl:variable name="descriptor" as="xs:string"
                select="if ($genre = 'telegram') then
                          (if (matches(string-join($tei/tei:text//tei:head, ' '), 'ciphered', 'i')) then 'ciphered telegram' else 'telegram')
                        else if ($genre = 'summary-record') then 'summary record'
                        else if ($genre = 'transcript') then 'transcript'
                        else if ($genre = 'memorandum') then 'memorandum'
                        else ''"/>

  <!-- The document's own title: a chapter's is its chapter title. A title that only
       repeats the kind of document ("Ciphered Telegram") is not cited as a title. -->
  <xsl:variable name="doc-title" select="if ($genre = 'chapter' and $chapter-title) then $chapter-title else $title"/>
  <xsl:variable name="generic-title" as="xs:boolean" select="lower-case($doc-title) = ($descriptor, 'telegram', 'memorandum')"/>
  <!-- The descriptor is given when the title does not already say it. -->
  <xsl:variable name="descriptor-shown" select="if ($descriptor and $type = 'manuscript'
      and ($generic-title or not(contains(lower-case($doc-title), $descriptor)))) then $descriptor else ''"/>
  <xsl:variable name="when-long" select="if ($date) then cm:date-long($date) else 'n.d.'"/>
  <xsl:variable name="pub-facts" select="string-join((
      if ($place) then $place || ': ' || $publisher else $publisher,
      if ($year) then $year else 'n.d.')[.], ', ')"/>
  <xsl:variable name="archive-facts" select="string-join(($collection[.], $repository[.], $settlement[.]), ', ')"/>

  <!-- "vol. XI, Cuban Missile Crisis and Aftermath" etc. -->
  <xsl:variable name="volume-part" select="string-join((
      if ($volume) then 'vol. ' || $volume else (),
      if ($book-sub) then $I || $book-sub || $J else ()), ', ')"/>

  <!-- ============================================================ Chicago -->

  <!-- Chicago punctuation: a comma or period after a closing quotation mark goes inside it. -->
  <xsl:function name="cm:punctuate" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="replace(replace(replace($s, '”([,.])', '$1”'), '\.\.$', '.'), '\.\. ', '. ')"/>
  </xsl:function>

  <xsl:variable name="family-authors" as="xs:string*" select="$authors ! cm:split(.)[1]"/>
  <xsl:variable name="family-recipients" as="xs:string*"
                select="$recipient-elements ! (if (self::tei:persName) then cm:split(cm:full-name(.))[1] else cm:full-name(.))"/>

  <xsl:variable name="note" as="xs:string">
    <xsl:variable name="who" select="
      if ($correspondence) then cm:and($authors) || ' to ' || cm:and($recipients)
      else if ($bibl and $genre != 'chapter') then ()
      else cm:and($authors)"/>
    <xsl:sequence select="cm:punctuate(string-join((
      $who[.],
      if ($generic-title) then () else '“' || $doc-title || '”',
      $descriptor-shown[.],
      if ($genre != 'chapter') then $when-long else (),
      if ($bibl) then
        'in ' || $I || $book-main || $J
        || (if ($volume-part) then ', ' || $volume-part else '')
        || (if (exists($editors)) then ', ed. ' || cm:and($editors) else '')
        || ' (' || $pub-facts || ')'
        || (if ($docno) then ', doc. ' || $docno else if ($pages) then ', ' || $pages else '')
      else (),
      $tape[.],
      if ($type = 'manuscript') then $archive-facts[.] else ()
    )[.], ', ') || '.')"/>
  </xsl:variable>

  <xsl:variable name="short" as="xs:string">
    <xsl:variable name="words" select="tokenize(replace($doc-title, '^(A|An|The) ', ''), '\s+')"/>
    <xsl:variable name="short-title" select="string-join($words[position() le 4], ' ')"/>
    <xsl:sequence select="cm:punctuate(
      if ($correspondence) then cm:and($family-authors) || ' to ' || cm:and($family-recipients) || ', ' || $when-long || '.'
      else if ($bibl and $genre != 'chapter') then '“' || $short-title || ',” ' || (if ($docno) then 'doc. ' || $docno else $when-long) || '.'
      else if ($genre = 'chapter') then string-join((cm:and($family-authors)[.], '“' || $short-title || '”', $pages[.]), ', ') || '.'
      else string-join((cm:and($family-authors)[.], '“' || $short-title || '”', $when-long), ', ') || '.')"/>
  </xsl:variable>

  <xsl:variable name="bibliography" as="xs:string">
    <xsl:variable name="first" select="if (exists($authors)) then
        string-join((cm:inverted($authors[1]), subsequence($authors, 2)), ', ') else ()"/>
    <xsl:sequence select="cm:punctuate(string-join((
      $first[.] ! (. || '.'),
      if ($correspondence and not($generic-title)) then '“' || $doc-title || '.”' else (),
      if ($correspondence) then
        upper-case(substring(($descriptor-shown[.], 'letter')[1], 1, 1)) || substring(($descriptor-shown[.], 'letter')[1], 2)
        || ' to ' || cm:and($recipients) || ', ' || $when-long || '.'
      else if ($generic-title) then () else '“' || $doc-title || '.”',
      if ($correspondence) then ()
      else if ($descriptor-shown) then upper-case(substring($descriptor-shown, 1, 1)) || substring($descriptor-shown, 2) || ', ' || $when-long || '.'
      else if ($genre != 'chapter') then $when-long || '.' else (),
      if ($bibl) then
        'In ' || $I || $book-main || $J
        || (if ($volume-part) then ', ' || $volume-part else '')
        || (if (exists($editors)) then ', edited by ' || cm:and($editors) else '')
        || (if ($docno) then ', doc. ' || $docno else if ($pages) then ', ' || $pages else '') || '. '
        || (if ($place) then $place || ': ' || $publisher else $publisher) || ', ' || ($year[.], 'n.d.')[1] || '.'
      else (),
      $tape[.] ! (. || '.'),
      if ($type = 'manuscript' and $archive-facts) then $archive-facts || '.' else ()
    )[.], ' '))"/>
  </xsl:variable>

  <xsl:function name="cm:plain" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="translate($s, $I || $J, '')"/>
  </xsl:function>

  <xsl:function name="cm:html" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:variable name="escaped" select="replace(replace(replace($s, '&amp;', '&amp;amp;'), '&lt;', '&amp;lt;'), '&gt;', '&amp;gt;')"/>
    <xsl:sequence select="replace(replace($escaped, $I, '&lt;i&gt;'), $J, '&lt;/i&gt;')"/>
  </xsl:function>

  <!-- ============================================================ CSL-JSON -->

  <xsl:function name="cm:csl-name" as="map(*)">
    <xsl:param name="full" as="xs:string"/>
    <xsl:variable name="parts" select="cm:split($full)"/>
    <xsl:sequence select="if ($parts[2]) then map { 'family': $parts[1], 'given': $parts[2] } else map { 'literal': $parts[1] }"/>
  </xsl:function>

  <xsl:variable name="date-parts" as="array(*)?" select="
    if (matches($date, '^\d{4}(-\d{2}(-\d{2})?)?$'))
    then [ array { tokenize($date, '-') ! xs:integer(.) } ]
    else ()"/>

  <xsl:variable name="csl" as="map(*)">
    <xsl:map>
      <xsl:map-entry key="'id'" select="cm:docid($tei)"/>
      <xsl:map-entry key="'type'" select="$type"/>
      <xsl:map-entry key="'title'" select="$doc-title"/>
      <xsl:if test="exists($authors)">
        <xsl:map-entry key="'author'" select="array { $authors ! cm:csl-name(.) }"/>
      </xsl:if>
      <xsl:if test="exists($recipients)">
        <xsl:map-entry key="'recipient'" select="array { $recipient-elements !
          (if (self::tei:persName) then cm:csl-name(cm:full-name(.)) else map { 'literal': cm:full-name(.) }) }"/>
      </xsl:if>
      <xsl:if test="exists($date-parts) and $genre != 'chapter'">
        <xsl:map-entry key="'issued'" select="map { 'date-parts': $date-parts }"/>
      </xsl:if>
      <xsl:if test="$genre = 'chapter' and $year">
        <xsl:map-entry key="'issued'" select="map { 'date-parts': [ [ xs:integer(substring($year, 1, 4)) ] ] }"/>
      </xsl:if>
      <xsl:if test="$descriptor and $genre != 'chapter'">
        <xsl:map-entry key="'genre'" select="$descriptor"/>
      </xsl:if>
      <xsl:if test="$bibl">
        <xsl:map-entry key="'container-title'" select="string-join(($book-main, $book-sub[.]), ': ')"/>
        <xsl:if test="$volume"><xsl:map-entry key="'volume'" select="$volume"/></xsl:if>
        <xsl:if test="$docno"><xsl:map-entry key="'number'" select="$docno"/></xsl:if>
        <xsl:if test="$pages"><xsl:map-entry key="'page'" select="$pages"/></xsl:if>
        <xsl:if test="exists($editors)">
          <xsl:map-entry key="'editor'" select="array { $editors ! cm:csl-name(.) }"/>
        </xsl:if>
        <xsl:if test="$publisher"><xsl:map-entry key="'publisher'" select="$publisher"/></xsl:if>
        <xsl:if test="$place"><xsl:map-entry key="'publisher-place'" select="$place"/></xsl:if>
      </xsl:if>
      <xsl:if test="$repository">
        <xsl:map-entry key="'archive'" select="$repository"/>
        <xsl:if test="$collection"><xsl:map-entry key="'archive_location'" select="$collection"/></xsl:if>
        <xsl:if test="$settlement"><xsl:map-entry key="'archive-place'" select="$settlement"/></xsl:if>
      </xsl:if>
      <xsl:if test="$tape"><xsl:map-entry key="'source'" select="$tape"/></xsl:if>
      <xsl:map-entry key="'language'" select="string(($tei/@xml:lang, 'en')[1])"/>
    </xsl:map>
  </xsl:variable>

  <!-- ============================================================ BibTeX -->

  <xsl:function name="cm:tex" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="replace(replace(cm:plain($s), '([&amp;%$#_{}])', '\\$1'), '~', '\\textasciitilde{}')"/>
  </xsl:function>

  <xsl:variable name="bibtex" as="xs:string">
    <xsl:variable name="fields" as="xs:string*" select="(
      'title = {{' || cm:tex($doc-title) || '}}',
      if (exists($authors)) then 'author = {' || cm:tex(string-join($authors ! cm:inverted(.), ' and ')) || '}' else (),
      if ($bibl) then (
        'booktitle = {' || cm:tex(string-join(($book-main, $book-sub[.]), ': ')) || '}',
        if (exists($editors)) then 'editor = {' || cm:tex(string-join($editors ! cm:inverted(.), ' and ')) || '}' else (),
        if ($volume) then 'volume = {' || cm:tex($volume) || '}' else (),
        if ($publisher) then 'publisher = {' || cm:tex($publisher) || '}' else (),
        if ($place) then 'address = {' || cm:tex($place) || '}' else (),
        if ($pages) then 'pages = {' || cm:tex(replace($pages, '[–-]', '--')) || '}' else ()
      ) else (),
      if ($genre = 'chapter') then ($year[.] ! ('year = {' || . || '}'))
      else if (matches($date, '^\d{4}')) then (
        'year = {' || substring($date, 1, 4) || '}',
        if (matches($date, '^\d{4}-\d{2}')) then 'month = ' || lower-case(format-date(xs:date(substring($date, 1, 7) || '-01'), '[MNn,3-3]')) else ()
      ) else (),
      'note = {' || cm:tex(string-join((
          if ($genre != 'chapter') then (if ($descriptor) then upper-case(substring($descriptor, 1, 1)) || substring($descriptor, 2) || ', ' else '') || $when-long else (),
          if ($docno) then 'doc. ' || $docno else (),
          $tape[.],
          if ($type = 'manuscript') then $archive-facts[.] else ()
        )[.], '. ')) || '}'
    )"/>
    <xsl:sequence select="'@' || (if ($type = 'chapter') then 'incollection' else 'unpublished') || '{' || cm:docid($tei) || ',&#10;'
                          || string-join($fields ! ('  ' || .), ',&#10;') || '&#10;}&#10;'"/>
  </xsl:variable>

  <!-- ============================================================ RIS -->

  <xsl:variable name="ris" as="xs:string">
    <xsl:variable name="lines" as="xs:string*" select="(
      'TY  - ' || (if ($type = 'chapter') then 'CHAP' else 'MANSCPT'),
      'ID  - ' || cm:docid($tei),
      'TI  - ' || $doc-title,
      $authors ! ('AU  - ' || cm:inverted(.)),
      if ($genre = 'chapter') then $year[.] ! ('PY  - ' || .)
      else if (matches($date, '^\d{4}')) then ('PY  - ' || substring($date, 1, 4), 'DA  - ' || translate($date, '-', '/')) else (),
      if ($descriptor and $genre != 'chapter') then 'M3  - ' || upper-case(substring($descriptor, 1, 1)) || substring($descriptor, 2) else (),
      if ($bibl) then (
        'T2  - ' || string-join(($book-main, $book-sub[.]), ': '),
        $editors ! ('A2  - ' || cm:inverted(.)),
        $volume[.] ! ('VL  - ' || .),
        $docno[.] ! ('M1  - ' || 'doc. ' || .),
        $pages[.] ! ('SP  - ' || .),
        $publisher[.] ! ('PB  - ' || .),
        $place[.] ! ('CY  - ' || .)
      ) else (),
      $repository[.] ! ('DB  - ' || .),
      $collection[.] ! ('AN  - ' || .),
      $settlement[.] ! ('PP  - ' || .),
      $tape[.] ! ('N1  - ' || .),
      'LA  - ' || string(($tei/@xml:lang, 'en')[1]),
      'ER  - '
    )"/>
    <xsl:sequence select="string-join($lines, '&#10;') || '&#10;'"/>
  </xsl:variable>

  <xsl:template match="/">
    <xsl:sequence select="map {
      'chicago-note': cm:plain($note),
      'chicago-short': cm:plain($short),
      'chicago-bibliography': cm:plain($bibliography),
      'chicago-note-html': cm:html($note),
      'chicago-bibliography-html': cm:html($bibliography),
      'csl': $csl,
      'bibtex': $bibtex,
      'ris': $ris
    }"/>
  </xsl:template>

</xsl:stylesheet>
