<?xml version="1.0" encoding="UTF-8"?>
<!--
  citation.xsl - the facts of a citation, read once from a TEI header.

  Included by cite.xsl (which writes them as Chicago, CSL-JSON, BibTeX and RIS)
  and by html.xsl (which writes them as <meta> tags for Zotero and Google Scholar):
  every format says the same facts because they all come from here. Which fact
  goes into which field of which format, and why, is docs/citations.md.

  Parameters:
    canonical-url  (xs:string, default '')  the document page's address on the
                   published site (cmctei publish, option base-url). Empty: no format
                   carries a URL (nothing is made up).

  The facts (variables in the namespace urn:cmctei:citation, prefix c):
    c:route        'letter'      correspondence (telegram, memorandum, letter with a
                                 recipient): "A, genre to B, date, in ... / archive";
                   'chapter'     printed in an edition or a book (sourceDesc/biblStruct);
                   'manuscript'  only an archival original (msDesc), or nothing.
    c:title, c:title-short, c:show-title (false when the title only names the kind
                   of document, "Ciphered Telegram"), c:genre (the kind, shown only
                   where the title does not say it), c:date (ISO), c:date-parts,
    c:authors, c:recipients, c:editors   names as maps {family, given, suffix} or
                   {literal}; persons through the register (particDesc/person/@sameAs),
                   so "Attorney General Kennedy" is cited as Robert F. Kennedy;
    c:book, c:volume-title, c:volume (as printed), c:volume-number (arabic, or ''),
    c:publisher, c:place, c:year (the edition's or book's year), c:docno, c:pages,
    c:archive, c:archive-place, c:archive-location (collection, box, idno; the tape);
    c:isbn, c:doi, c:url (the canonical URL, else for a book from elsewhere the URL its
                   header gives), c:licence, c:language (BCP 47; '' when TEI from
                   elsewhere declares none), c:original-date (a book's own date, when it
                   differs from its publication), c:item-date (the date a reference
                   manager dates the item by), c:zotero-type.

  TEI that cmctei did not write (docs/citations.md, "TEI from elsewhere"):
    a document of a volume (FRUS: the volume's teiHeader and one div[@type='document'])
                   is a chapter in the volume: c:bibl is then the volume as a biblStruct
                   made from its header (titleStmt: FRUS's series, sub-series, volume
                   number and volume titles, else the title; publicationStmt: publisher,
                   place, year, ISBN), with the document's number (@n) and pages (the
                   volume outline's, from pb/@n); editors are the header's (a FRUS general
                   editor, role "general", edits the series, not the volume);
    c:route 'book' any other TEI from elsewhere that is not a chapter of a printed source
                   (sourceDesc/biblStruct with an analytic part) or a manuscript (msDesc):
                   the edition its header describes (the volume itself, an edition of one
                   text), with authors, editors, publisher, place, year, ISBN, DOI, URL,
                   licence and language as the header gives them.
  Nothing is made up: a fact the TEI does not give is left out of every format.

  Every string is whitespace-normalised text (XML whitespace and the line separators
  U+0085, U+2028, U+2029 count as spaces: no format could keep a line break inside
  a field; so do the typographic spaces, U+2002 to U+3000, that BibTeX readers
  collapse; a no-break space U+00A0 is kept inside, not at either end, where RIS
  readers trim it). Nothing else is changed: each format escapes what it must.
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns:tei="http://www.tei-c.org/ns/1.0"
                xmlns:cm="urn:cmctei"
                xmlns:c="urn:cmctei:citation"
                xmlns:map="http://www.w3.org/2005/xpath-functions/map"
                exclude-result-prefixes="#all">

  <xsl:param name="canonical-url" as="xs:string" select="''"/>

  <!-- ============================================================ text -->

  <xsl:function name="c:text" as="xs:string">
    <xsl:param name="value" as="item()*"/>
    <xsl:variable name="joined" select="translate(string-join($value ! string(.), ' '), '&#x85;&#x2028;&#x2029;', '   ')"/>
    <!-- Text without any of $c:z-but-space (nearly every name and title) is only normalised:
         the two regular expressions below change nothing in it, and cost a third of the
         citation's transform in Saxon (issue 18). -->
    <xsl:sequence select="if (translate($joined, $c:z-but-space, '') eq $joined) then normalize-space($joined)
      else replace(normalize-space(replace($joined, '[\p{Zs}-[&#xA0;]]', ' ')), '^\p{Z}+|\p{Z}+$', '')"/>
  </xsl:function>

  <!-- Every character of the Unicode category Z (separators) but the space, as Saxon's regular
       expressions know them, and U+180E, a separator in Unicode before 6.3 (more characters
       than that only send more text the long way; tests/test_citation_text.py checks that
       none is missing from Saxon's \p{Z}). -->
  <xsl:variable name="c:z-but-space" as="xs:string"
                select="'&#xA0;&#x1680;&#x180E;&#x2000;&#x2001;&#x2002;&#x2003;&#x2004;&#x2005;&#x2006;&#x2007;&#x2008;&#x2009;&#x200A;&#x2028;&#x2029;&#x202F;&#x205F;&#x3000;'"/>

  <!-- ============================================================ names -->

  <!-- Particles that belong to the family name ("de Gaulle", "van Buren") and suffixes. -->
  <xsl:variable name="c:particles" as="xs:string+" select="('de', 'da', 'di', 'du', 'del', 'della', 'der', 'den', 'van', 'von', 'la', 'le', 'ten', 'ter', 'bin', 'ibn', 'al')"/>
  <xsl:variable name="c:suffixes" as="xs:string+" select="('Jr.', 'Sr.', 'II', 'III', 'IV')"/>

  <!-- A name read as a person's only when it looks like one: two to five words, each
       capitalised or a particle or an initial. "Carl Kaysen of the National Security
       Council" or "the Embassy in Moscow" stay whole (CSL "literal"). -->
  <xsl:function name="c:looks-personal" as="xs:boolean">
    <xsl:param name="name" as="xs:string"/>
    <xsl:variable name="words" select="tokenize(replace($name, ',', ''), ' ')[.]"/>
    <xsl:sequence select="count($words) ge 2 and count($words) le 5
      and (every $w in $words satisfies (matches($w, '^\p{Lu}[\p{L}''’.\-]*$') or $w = $c:particles))
      and not(matches($words[last()], '^\p{Lu}\.$'))"/>
  </xsl:function>

  <xsl:function name="c:split" as="map(*)">
    <xsl:param name="name" as="xs:string"/>
    <xsl:variable name="words" select="tokenize(replace($name, ',', ''), ' ')[.]"/>
    <xsl:variable name="suffix" select="if ($words[last()] = $c:suffixes) then $words[last()] else ()"/>
    <xsl:variable name="rest" select="if ($suffix) then $words[position() lt last()] else $words"/>
    <!-- the family name: the last word and the particles just before it -->
    <xsl:variable name="first-family" as="xs:integer" select="
      (for $i in reverse(1 to count($rest) - 1) return
         if ($rest[$i] = $c:particles and (every $j in ($i + 1) to (count($rest) - 1) satisfies $rest[$j] = $c:particles))
         then $i else (), count($rest))[1]"/>
    <xsl:sequence select="map:merge((
      map { 'family': string-join(subsequence($rest, $first-family), ' '),
            'given': string-join(subsequence($rest, 1, $first-family - 1), ' ') },
      if ($suffix) then map { 'suffix': $suffix } else ()))"/>
  </xsl:function>

  <!-- One name element → {family, given, suffix?} or {literal}. A pointer to the register
       is followed through the document's participant list, where the register's name is
       (cmctei cannot read persons.xml from here); TEI forename/surname are used as given. -->
  <xsl:function name="c:name" as="map(*)?">
    <xsl:param name="element" as="element()"/>
    <xsl:variable name="ref" select="normalize-space($element/@ref)"/>
    <xsl:variable name="person" select="if ($ref) then (root($element)//tei:particDesc//(tei:person | tei:personGrp)
        [@sameAs = $ref or (starts-with($ref, '#') and @xml:id = substring($ref, 2))])[1] else ()"/>
    <xsl:variable name="source" select="if ($person) then ($person/tei:persName[@type = 'main'], $person/tei:persName, $person/tei:name)[1] else $element"/>
    <xsl:variable name="text" select="c:text($source)"/>
    <xsl:sequence select="
      if (not($text)) then ()
      else if ($source/tei:surname) then map:merge((
        map { 'family': c:text(($source/tei:nameLink, $source/tei:surname)),
              'given': c:text($source/tei:forename) },
        if ($source/tei:genName) then map { 'suffix': c:text($source/tei:genName) } else ()))
      else if ($source/(self::tei:persName | self::tei:author | self::tei:editor) and c:looks-personal($text)) then c:split($text)
      else if (not($c:master) and $source/(self::tei:persName | self::tei:author | self::tei:editor)) then c:inverted-name($text)
      else map { 'literal': $text }"/>
  </xsl:function>

  <!-- A name written the way catalogues write it, "Psalmanazar, George, 1679?-1763." (TEI
       from elsewhere, e.g. TCP headers): family name, given names, then perhaps dates of
       life, which are not part of the name; anything else stays whole. -->
  <xsl:function name="c:inverted-name" as="map(*)">
    <xsl:param name="text" as="xs:string"/>
    <xsl:variable name="pattern" select="'^([^,]+), ([^,]+?)(, [^,]*\d[^,]*)?\.?$'"/>
    <xsl:variable name="family" select="if (matches($text, $pattern)) then replace($text, $pattern, '$1') else ''"/>
    <xsl:variable name="given" select="if (matches($text, $pattern)) then replace($text, $pattern, '$2') else ''"/>
    <xsl:sequence select="if ($family and not($given = $c:suffixes) and c:looks-personal($given || ' ' || $family))
                          then map { 'family': $family, 'given': $given } else map { 'literal': $text }"/>
  </xsl:function>

  <!-- "Robert F. Kennedy", "Martin Luther King Jr." -->
  <xsl:function name="c:display" as="xs:string">
    <xsl:param name="name" as="map(*)"/>
    <xsl:sequence select="if (map:contains($name, 'literal')) then $name?literal
      else string-join(($name?given[.], $name?family, $name?suffix), ' ')"/>
  </xsl:function>

  <!-- "Kennedy, Robert F.", "King, Martin Luther, Jr." -->
  <xsl:function name="c:inverted" as="xs:string">
    <xsl:param name="name" as="map(*)"/>
    <xsl:sequence select="if (map:contains($name, 'literal')) then $name?literal
      else string-join(($name?family, $name?given[.], $name?suffix), ', ')"/>
  </xsl:function>

  <xsl:function name="c:short" as="xs:string">
    <xsl:param name="name" as="map(*)"/>
    <xsl:sequence select="if (map:contains($name, 'literal')) then $name?literal else $name?family"/>
  </xsl:function>

  <!-- ============================================================ the document -->

  <xsl:variable name="c:tei" select="(/tei:TEI, /*)[1]"/>
  <xsl:variable name="c:header" select="$c:tei/tei:teiHeader"/>
  <xsl:variable name="c:master" as="xs:boolean" select="cm:is-master($c:tei)"/>
  <!-- a document of a volume from elsewhere (FRUS), or () -->
  <xsl:variable name="c:part" select="cm:document-div($c:tei)"/>
  <!-- TEI from elsewhere printed as a part of a source (an article, a chapter) -->
  <xsl:variable name="c:source-bibl" select="if ($c:master) then () else $c:header//tei:sourceDesc/tei:biblStruct[tei:analytic][1]"/>
  <!-- a document of a volume is cited in its volume when the volume has a title -->
  <xsl:variable name="c:in-volume" as="xs:boolean" select="exists($c:part) and empty($c:source-bibl) and $c:edition-book != ''"/>
  <xsl:variable name="c:bibl" as="element()?" select="
      if ($c:master) then $c:header//tei:sourceDesc/tei:biblStruct[1]
      else if ($c:in-volume) then c:edition-bibl(true())
      else $c:source-bibl"/>
  <xsl:variable name="c:ms" select="$c:header//tei:sourceDesc/tei:msDesc[1]"/>
  <xsl:variable name="c:recording" select="$c:header//tei:sourceDesc/tei:recordingStmt[1]"/>
  <!-- TEI from elsewhere that is neither printed in a source nor a manuscript: the edition
       its header describes is cited, as a book -->
  <xsl:variable name="c:as-book" as="xs:boolean" select="not($c:master) and empty($c:bibl) and empty($c:ms)"/>
  <xsl:variable name="c:kind" select="cm:category($c:tei, 'genre')"/>
  <!-- cmctei's masters say their language; TEI from elsewhere is given the language it
       declares (BCP 47), or none -->
  <xsl:variable name="c:language" as="xs:string" select="if ($c:master) then c:text(($c:tei/@xml:lang, 'en')[1])
      else string(((($c:tei/@xml:lang, $c:tei/tei:text/@xml:lang, $c:header/tei:profileDesc/tei:langUsage/tei:language/@ident) ! cm:bcp47(.))[.], '')[1])"/>

  <xsl:variable name="c:chapter-title" select="c:text($c:bibl/tei:analytic/tei:title[1])"/>
  <!-- A document of a volume is titled by its heading, without the number it starts with
       when that is its document number (FRUS: "117. Memorandum …"; the number is cited
       as "doc. 117") -->
  <xsl:variable name="c:title" select="
      if ($c:kind = 'chapter' and $c:chapter-title) then $c:chapter-title
      else if ($c:as-book) then $c:book
      else if ($c:in-volume) then c:without-number(c:text(cm:title($c:tei)), cm:doc-number($c:tei))
      else c:text(cm:title($c:tei))"/>

  <!-- "117. Memorandum …", "No. 61. Mr. Baker to Mr. Gresham" without "117. ", "No. 61. " -->
  <xsl:function name="c:without-number" as="xs:string">
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="number" as="xs:string"/>
    <xsl:variable name="rest" select="if (matches($title, '^No\.\s*\S')) then replace($title, '^No\.\s*', '') else $title"/>
    <xsl:sequence select="if ($number and starts-with($rest, $number || '. ') and substring-after($rest, $number || '. '))
                          then substring-after($rest, $number || '. ') else $title"/>
  </xsl:function>

  <xsl:variable name="c:descriptor" as="xs:string"
                select="if ($c:kind = 'telegram') then
                          (if (matches(string-join($c:tei/tei:text//tei:head, ' '), 'ciphered', 'i')) then 'ciphered telegram' else 'telegram')
                        else if ($c:kind = 'summary-record') then 'summary record'
                        else if ($c:kind = ('transcript', 'memorandum', 'letter')) then $c:kind
                        else ''"/>

  <!-- Chicago's short title: at most four words, without an initial article. -->
  <xsl:variable name="c:title-short" as="xs:string"
                select="string-join(tokenize(replace($c:title, '^(A|An|The) ', ''), ' ')[position() le 4], ' ')"/>

  <xsl:variable name="c:date" as="xs:string">
    <xsl:variable name="raw" select="cm:date($c:tei)"/>
    <xsl:sequence select="if (matches($raw, '^\d{4}(-\d{2}(-\d{2})?)?')) then replace($raw, '^(\d{4}(-\d{2}(-\d{2})?)?).*$', '$1') else ''"/>
  </xsl:variable>
  <xsl:variable name="c:date-parts" as="xs:integer*" select="tokenize($c:date, '-')[.] ! xs:integer(.)"/>

  <!-- the authors: a chapter's own, else the header's (for a document of a volume from
       elsewhere, the header's authors are the volume's: none is cited) -->
  <xsl:variable name="c:authors" as="map(*)*"
                select="(if ($c:kind = 'chapter' and $c:bibl/tei:analytic/tei:author) then $c:bibl/tei:analytic/tei:author
                         else if ($c:in-volume) then ()
                         else if ($c:source-bibl/tei:analytic/tei:author) then $c:source-bibl/tei:analytic/tei:author
                         else $c:header/tei:fileDesc/tei:titleStmt/tei:author) ! (tei:persName, tei:name, tei:orgName, .)[1] ! c:name(.)"/>
  <xsl:variable name="c:recipients" as="map(*)*"
                select="$c:header//tei:correspAction[@type = 'received']/(tei:persName | tei:name | tei:orgName) ! c:name(.)"/>
  <xsl:variable name="c:editors" as="map(*)*"
                select="(if ($c:in-volume or $c:as-book) then $c:edition-editors else $c:bibl/tei:monogr/tei:editor)
                        ! (tei:persName, tei:name, .)[1] ! c:name(.)"/>

  <xsl:variable name="c:route" as="xs:string"
                select="if ($c:kind = ('telegram', 'memorandum', 'letter') and exists($c:recipients)) then 'letter'
                        else if ($c:bibl) then 'chapter' else if ($c:as-book) then 'book' else 'manuscript'"/>
  <!-- A title that only repeats the kind of document ("Ciphered Telegram") is not cited as a
       title where the kind is said instead (letters, manuscripts); a chapter keeps it. -->
  <xsl:variable name="c:show-title" as="xs:boolean"
                select="$c:title != '' and ($c:route = ('chapter', 'book') or not(lower-case($c:title) = ($c:descriptor, 'telegram', 'memorandum', 'letter')))"/>
  <!-- The kind is shown where the title does not already say it; never for a chapter
       (CSL styles read a chapter's genre as "introduction to"). -->
  <xsl:variable name="c:genre" as="xs:string"
                select="if ($c:descriptor and $c:route != 'chapter' and not($c:show-title and contains(lower-case($c:title), $c:descriptor)))
                        then $c:descriptor else ''"/>

  <xsl:function name="c:and" as="xs:string">
    <xsl:param name="names" as="xs:string*"/>
    <xsl:sequence select="
      if (count($names) le 1) then string($names[1])
      else if (count($names) = 2) then $names[1] || ' and ' || $names[2]
      else string-join($names[position() lt last()], ', ') || ', and ' || $names[last()]"/>
  </xsl:function>

  <!-- The title a reference manager is given (it must have one): the document's, else
       what the bibliography says in its place, "Ciphered telegram to Soviet Ministry of
       Foreign Affairs". -->
  <xsl:variable name="c:item-title" as="xs:string" select="
      if ($c:route = 'book' and $c:show-title) then string-join(($c:title, $c:volume-title)[.], ', ')
      else if ($c:show-title) then $c:title
      else if ($c:route = 'letter') then c:capital(string-join(($c:genre[.], 'to', c:and($c:recipients ! c:display(.))), ' '))
      else c:capital(($c:genre, $c:title, 'Untitled document')[.][1])"/>

  <xsl:function name="c:capital" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="upper-case(substring($s, 1, 1)) || substring($s, 2)"/>
  </xsl:function>

  <!-- ============================================================ the edition or book -->

  <xsl:variable name="c:monogr" select="if ($c:as-book) then c:edition-bibl(false())/tei:monogr else $c:bibl/tei:monogr"/>
  <xsl:variable name="c:book" select="c:text(($c:monogr/tei:title[@type = 'main'], $c:monogr/tei:title)[1])"/>
  <xsl:variable name="c:volume-title" select="c:text($c:monogr/tei:title[@type = 'sub'][1])"/>
  <xsl:variable name="c:volume" select="c:text($c:monogr/tei:biblScope[@unit = 'volume'][1])"/>
  <!-- "XI" → "11": CSL styles label a volume "vol." only when it is a number (citeproc-js
       reads only lower-case roman numerals as numbers) and biblatex's volume is an integer. -->
  <xsl:variable name="c:volume-number" as="xs:string"
                select="if (matches($c:volume, '^\d+$')) then string(xs:integer($c:volume))
                        else if (matches($c:volume, '^[IVXLCDM]+$', 'i')) then string(c:roman(upper-case($c:volume)))
                        else ''"/>
  <xsl:variable name="c:docno" select="c:text($c:monogr/tei:biblScope[@unit = 'document'][1])"/>
  <xsl:variable name="c:pages" select="c:text($c:monogr/tei:biblScope[@unit = 'page'][1])"/>
  <xsl:variable name="c:isbn" select="c:text($c:monogr/tei:idno[@type = 'ISBN'][1])"/>
  <xsl:variable name="c:place" select="c:text($c:monogr/tei:imprint/tei:pubPlace[1])"/>
  <xsl:variable name="c:publisher" select="c:text($c:monogr/tei:imprint/tei:publisher[1])"/>
  <xsl:variable name="c:year" as="xs:string">
    <xsl:variable name="date" select="$c:monogr/tei:imprint/tei:date[1]"/>
    <xsl:variable name="raw" select="c:text(($date/@when, $date)[1])"/>
    <xsl:sequence select="if (matches($raw, '^\d{4}')) then substring($raw, 1, 4) else ''"/>
  </xsl:variable>
  <!-- Where the document is in its edition: "doc. 96", its pages, or both ("doc. 2, 2–3"). -->
  <xsl:variable name="c:locator" select="string-join((('doc. ' || $c:docno)[$c:docno], $c:pages[.]), ', ')"/>

  <xsl:function name="c:roman" as="xs:integer">
    <xsl:param name="roman" as="xs:string"/>
    <xsl:variable name="values" select="string-to-codepoints($roman) ! (
      if (. = 73) then 1 else if (. = 86) then 5 else if (. = 88) then 10 else if (. = 76) then 50
      else if (. = 67) then 100 else if (. = 68) then 500 else 1000)"/>
    <xsl:sequence select="sum(for $i in 1 to count($values) return
      if ($i lt count($values) and $values[$i] lt $values[$i + 1]) then -$values[$i] else $values[$i])"/>
  </xsl:function>

  <!-- ============================================================ TEI from elsewhere: the edition

       What the header of TEI that cmctei did not write says of the edition it belongs to:
       the volume of a document (FRUS), or the edition of one text. -->

  <xsl:variable name="c:titles" select="$c:header/tei:fileDesc/tei:titleStmt/tei:title[normalize-space()]"/>
  <!-- FRUS volumes title themselves in parts (HistoryAtState/frus: title types "series",
       "subseries" or "sub-series", "volumenumber" or "volume-number", "volume"; "complete"
       is the whole) -->
  <xsl:variable name="c:edition-series" select="c:text($c:titles[@type = 'series'][1])"/>
  <xsl:variable name="c:edition-subseries" select="c:text($c:titles[@type = ('subseries', 'sub-series')][1])"/>
  <xsl:variable name="c:edition-volume-title" select="c:text($c:titles[@type = 'volume'][1])"/>
  <!-- "Volume III" is volume "III"; "Retrospective Volume" stays as printed -->
  <xsl:variable name="c:edition-volume" as="xs:string">
    <xsl:variable name="printed" select="c:text($c:titles[@type = ('volumenumber', 'volume-number')][1])"/>
    <xsl:sequence select="if (matches($printed, '^(Volume|Vol\.)\s*([IVXLCDM]+|\d+)$', 'i')) then replace($printed, '^\S+\s*', '') else $printed"/>
  </xsl:variable>
  <xsl:variable name="c:edition-structured" as="xs:boolean" select="$c:edition-series != '' and ($c:edition-volume-title, $c:edition-volume) != ''"/>
  <!-- The edition's title: the series (with its sub-series) when the volume is titled or
       numbered apart, else the header's title (a FRUS volume's complete title). A file name
       is no title, nor is a document's own heading repeated as its header's title. -->
  <xsl:variable name="c:edition-book" as="xs:string">
    <xsl:variable name="title" select="
        if ($c:edition-structured) then string-join(($c:edition-series, $c:edition-subseries[not(contains($c:edition-series, .))])[.], ', ')
        else c:text(cm:header-title($c:tei))"/>
    <xsl:sequence select="if (matches($title, '^\S+\.xml$', 'i') or (exists($c:part) and $title = c:text(cm:title($c:tei)))) then '' else $title"/>
  </xsl:variable>

  <!-- The edition's editors: titleStmt/editor (but a FRUS general editor, role "general",
       edits the series), and the people of a respStmt whose responsibility is editing. -->
  <xsl:variable name="c:edition-editors" as="element()*">
    <xsl:variable name="all" select="($c:header/tei:fileDesc/tei:titleStmt/tei:editor[normalize-space()][not(@role = ('general', 'series'))],
        $c:header/tei:fileDesc/tei:titleStmt/tei:respStmt[matches(string(tei:resp), '^\s*(ed\.|edit)', 'i')]/(tei:persName | tei:name | tei:orgName))"/>
    <xsl:sequence select="for $i in 1 to count($all) return $all[$i][not(c:text(.) = subsequence($all, 1, $i - 1) ! c:text(.))]"/>
  </xsl:variable>

  <xsl:variable name="c:edition-idnos" select="$c:header/tei:fileDesc/tei:publicationStmt/tei:idno[normalize-space()]"/>

  <!-- An ISBN as its digits, when its check digit is right; else '' (a wrong ISBN is not cited). -->
  <xsl:function name="c:isbn" as="xs:string">
    <xsl:param name="value" as="xs:string"/>
    <xsl:variable name="digits" select="replace(upper-case($value), '^ISBN(-1[03])?:?|[\s\p{Pd}]', '')"/>
    <xsl:variable name="d" select="string-to-codepoints($digits) ! (if (. = 88) then 10 else . - 48)"/>
    <xsl:sequence select="
      if (matches($digits, '^\d{13}$') and sum(for $i in 1 to 13 return $d[$i] * (if ($i mod 2 = 1) then 1 else 3)) mod 10 = 0) then $digits
      else if (matches($digits, '^\d{9}[\dX]$') and sum(for $i in 1 to 10 return $d[$i] * (11 - $i)) mod 11 = 0) then $digits
      else ''"/>
  </xsl:function>

  <!-- A DOI, bare ("10.1234/x"), from an idno typed DOI or a doi.org address; else ''. -->
  <xsl:function name="c:doi" as="xs:string">
    <xsl:param name="idno" as="element()"/>
    <xsl:variable name="value" select="c:text($idno)"/>
    <xsl:variable name="pattern" select="'^(https?://(dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,9}/\S+)$'"/>
    <xsl:sequence select="if (matches($value, $pattern, 'i') and (lower-case($idno/@type) = 'doi' or matches($value, '^(https?://(dx\.)?doi\.org/|doi:)', 'i')))
                          then replace($value, $pattern, '$3', 'i') else ''"/>
  </xsl:function>

  <xsl:variable name="c:edition-isbn" select="string(((for $i in $c:edition-idnos[matches(@type, '^isbn', 'i')] return c:isbn(c:text($i)))[.] => sort((), string-length#1) => reverse(), '')[1])"/>

  <!-- The edition as a biblStruct, the way a cmctei master describes its source: titles,
       imprint, volume, ISBN, and (for a document of a volume) the document's number and
       pages. For a document whose volume is not named (a single FRUS document in a header
       of its own), the document itself, with its own heading. -->
  <xsl:function name="c:edition-bibl" as="element()">
    <xsl:param name="with-part" as="xs:boolean"/>
    <xsl:variable name="volume-parts" as="xs:boolean" select="$c:edition-structured and ($with-part or empty($c:part))"/>
    <xsl:variable name="pages" select="cm:pages($c:tei)"/>
    <tei:biblStruct>
      <tei:monogr>
        <tei:title type="main"><xsl:value-of select="if (not($with-part) and exists($c:part)) then c:text(cm:title($c:tei)) else $c:edition-book"/></tei:title>
        <xsl:if test="$volume-parts and $c:edition-volume-title"><tei:title type="sub"><xsl:value-of select="$c:edition-volume-title"/></tei:title></xsl:if>
        <tei:imprint>
          <xsl:if test="cm:pub-place($c:tei)"><tei:pubPlace><xsl:value-of select="cm:pub-place($c:tei)"/></tei:pubPlace></xsl:if>
          <xsl:if test="cm:publisher($c:tei)"><tei:publisher><xsl:value-of select="cm:publisher($c:tei)"/></tei:publisher></xsl:if>
          <xsl:if test="cm:pub-year($c:tei)"><tei:date when="{cm:pub-year($c:tei)}"><xsl:value-of select="cm:pub-year($c:tei)"/></tei:date></xsl:if>
        </tei:imprint>
        <xsl:if test="$volume-parts and $c:edition-volume"><tei:biblScope unit="volume"><xsl:value-of select="$c:edition-volume"/></tei:biblScope></xsl:if>
        <xsl:if test="$with-part and cm:doc-number($c:tei)"><tei:biblScope unit="document"><xsl:value-of select="cm:doc-number($c:tei)"/></tei:biblScope></xsl:if>
        <!-- pages from the page breaks: "[]" (a page without a number) is no page -->
        <xsl:if test="$with-part and matches($pages, '^\[?[^\[\]\s–]+\]?(–\[?[^\[\]\s–]+\]?)?$')">
          <tei:biblScope unit="page"><xsl:value-of select="$pages"/></tei:biblScope>
        </xsl:if>
        <xsl:if test="$c:edition-isbn"><tei:idno type="ISBN"><xsl:value-of select="$c:edition-isbn"/></tei:idno></xsl:if>
      </tei:monogr>
    </tei:biblStruct>
  </xsl:function>

  <!-- A book's identifiers (TEI from elsewhere cited as a book): a DOI, and an address its
       header gives (an idno typed URI or URL, or FRUS's canonical relatedItem). -->
  <xsl:variable name="c:doi" as="xs:string" select="if ($c:as-book) then string((($c:edition-idnos ! c:doi(.))[.], '')[1]) else ''"/>
  <xsl:variable name="c:edition-url" as="xs:string" select="if (not($c:as-book)) then '' else string(((
      $c:edition-idnos[lower-case(@type) = ('uri', 'url') or matches(normalize-space(.), '^https?://')] ! c:text(.),
      $c:header/tei:fileDesc/tei:notesStmt/tei:relatedItem[@type = 'canonical']/@target ! c:text(.))
      [matches(., '^https?://\S+$')][not(matches(., '^https?://(dx\.)?doi\.org/', 'i'))], '')[1])"/>
  <!-- The URL every format carries: the page's canonical address, else a book's own. -->
  <xsl:variable name="c:url" as="xs:string" select="if ($canonical-url) then $canonical-url else $c:edition-url"/>
  <!-- The licence of TEI from elsewhere (a master's availability is its declassification). -->
  <xsl:variable name="c:licence" as="xs:string" select="if ($c:master) then '' else c:text(cm:licence($c:tei))"/>
  <!-- A book's own date, when it is not the date it was published: the date of the text it
       edits (the source's, the sitting's), printed by Chicago as the original date. -->
  <xsl:variable name="c:pub-date" select="cm:iso-date(($c:header/tei:fileDesc/tei:publicationStmt/tei:date[not(@type = 'content-date')])[1])"/>
  <xsl:variable name="c:original-date" as="xs:string" select="if ($c:route = 'book' and $c:date != $c:pub-date) then $c:date else ''"/>
  <!-- The date a reference manager dates the item by: a printed item's edition year, a
       book's year, else the document's own date. -->
  <xsl:variable name="c:item-date" as="xs:string" select="if ($c:bibl or $c:route = 'book') then $c:year else $c:date"/>
  <!-- The Zotero item type each format's client makes of the item. -->
  <xsl:variable name="c:zotero-type" as="xs:string" select="if ($c:bibl) then 'bookSection' else if ($c:route = 'letter') then 'letter'
                                                            else if ($c:route = 'book') then 'book' else 'manuscript'"/>

  <!-- ============================================================ the archive -->

  <xsl:variable name="c:archive" select="c:text($c:ms/tei:msIdentifier/tei:repository[1])"/>
  <xsl:variable name="c:archive-place" select="c:text($c:ms/tei:msIdentifier/tei:settlement[1])"/>
  <xsl:variable name="c:tape" select="c:text(string-join($c:recording//tei:recording ! c:text(.), '; '))"/>
  <xsl:variable name="c:archive-location" select="string-join((
      ($c:ms/tei:msIdentifier/(tei:collection, tei:idno)) ! c:text(.), $c:tape)[.], ', ')"/>

</xsl:stylesheet>
