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
    c:archive, c:archive-place, c:archive-location (collection, box, idno; the tape).

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
    <xsl:variable name="spaced" select="replace(translate(string-join($value ! string(.), ' '), '&#x85;&#x2028;&#x2029;', '   '),
                                            '[\p{Zs}-[&#xA0;]]', ' ')"/>
    <xsl:sequence select="replace(normalize-space($spaced), '^\p{Z}+|\p{Z}+$', '')"/>
  </xsl:function>

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
      else map { 'literal': $text }"/>
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
  <xsl:variable name="c:bibl" select="$c:header//tei:sourceDesc/tei:biblStruct[1]"/>
  <xsl:variable name="c:ms" select="$c:header//tei:sourceDesc/tei:msDesc[1]"/>
  <xsl:variable name="c:recording" select="$c:header//tei:sourceDesc/tei:recordingStmt[1]"/>
  <xsl:variable name="c:kind" select="cm:category($c:tei, 'genre')"/>
  <xsl:variable name="c:language" select="c:text(($c:tei/@xml:lang, 'en')[1])"/>

  <xsl:variable name="c:chapter-title" select="c:text($c:bibl/tei:analytic/tei:title[1])"/>
  <xsl:variable name="c:title" select="if ($c:kind = 'chapter' and $c:chapter-title) then $c:chapter-title else c:text(cm:title($c:tei))"/>

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

  <xsl:variable name="c:authors" as="map(*)*"
                select="(if ($c:kind = 'chapter' and $c:bibl/tei:analytic/tei:author) then $c:bibl/tei:analytic/tei:author
                         else $c:header/tei:fileDesc/tei:titleStmt/tei:author) ! (tei:persName, tei:name, tei:orgName, .)[1] ! c:name(.)"/>
  <xsl:variable name="c:recipients" as="map(*)*"
                select="$c:header//tei:correspAction[@type = 'received']/(tei:persName | tei:name | tei:orgName) ! c:name(.)"/>
  <xsl:variable name="c:editors" as="map(*)*"
                select="$c:bibl/tei:monogr/tei:editor ! (tei:persName, tei:name, .)[1] ! c:name(.)"/>

  <xsl:variable name="c:route" as="xs:string"
                select="if ($c:kind = ('telegram', 'memorandum', 'letter') and exists($c:recipients)) then 'letter'
                        else if ($c:bibl) then 'chapter' else 'manuscript'"/>
  <!-- A title that only repeats the kind of document ("Ciphered Telegram") is not cited as a
       title where the kind is said instead (letters, manuscripts); a chapter keeps it. -->
  <xsl:variable name="c:show-title" as="xs:boolean"
                select="$c:title != '' and ($c:route = 'chapter' or not(lower-case($c:title) = ($c:descriptor, 'telegram', 'memorandum', 'letter')))"/>
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
      if ($c:show-title) then $c:title
      else if ($c:route = 'letter') then c:capital(string-join(($c:genre[.], 'to', c:and($c:recipients ! c:display(.))), ' '))
      else c:capital(($c:genre, $c:title, 'Untitled document')[.][1])"/>

  <xsl:function name="c:capital" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:sequence select="upper-case(substring($s, 1, 1)) || substring($s, 2)"/>
  </xsl:function>

  <!-- ============================================================ the edition or book -->

  <xsl:variable name="c:monogr" select="$c:bibl/tei:monogr"/>
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
  <xsl:variable name="c:place" select="c:text($c:monogr/tei:imprint/tei:pubPlace[1])"/>
  <xsl:variable name="c:publisher" select="c:text($c:monogr/tei:imprint/tei:publisher[1])"/>
  <xsl:variable name="c:year" as="xs:string">
    <xsl:variable name="date" select="$c:monogr/tei:imprint/tei:date[1]"/>
    <xsl:variable name="raw" select="c:text(($date/@when, $date)[1])"/>
    <xsl:sequence select="if (matches($raw, '^\d{4}')) then substring($raw, 1, 4) else ''"/>
  </xsl:variable>
  <!-- Where the document is in its edition: "doc. 96", else its pages. -->
  <xsl:variable name="c:locator" select="if ($c:docno) then 'doc. ' || $c:docno else $c:pages"/>

  <xsl:function name="c:roman" as="xs:integer">
    <xsl:param name="roman" as="xs:string"/>
    <xsl:variable name="values" select="string-to-codepoints($roman) ! (
      if (. = 73) then 1 else if (. = 86) then 5 else if (. = 88) then 10 else if (. = 76) then 50
      else if (. = 67) then 100 else if (. = 68) then 500 else 1000)"/>
    <xsl:sequence select="sum(for $i in 1 to count($values) return
      if ($i lt count($values) and $values[$i] lt $values[$i + 1]) then -$values[$i] else $values[$i])"/>
  </xsl:function>

  <!-- ============================================================ the archive -->

  <xsl:variable name="c:archive" select="c:text($c:ms/tei:msIdentifier/tei:repository[1])"/>
  <xsl:variable name="c:archive-place" select="c:text($c:ms/tei:msIdentifier/tei:settlement[1])"/>
  <xsl:variable name="c:tape" select="c:text(string-join($c:recording//tei:recording ! c:text(.), '; '))"/>
  <xsl:variable name="c:archive-location" select="string-join((
      ($c:ms/tei:msIdentifier/(tei:collection, tei:idno)) ! c:text(.), $c:tape)[.], ', ')"/>

</xsl:stylesheet>
