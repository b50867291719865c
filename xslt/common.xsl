<?xml version="1.0" encoding="UTF-8"?>
<!--
  common.xsl - functions shared by every cmctei output (HTML, text, citations).

  Included by html.xsl, text.xsl, cite.xsl, index.xsl and persons.xsl. It
  reads only the document being transformed: no document(), doc() or
  unparsed-text() anywhere (cmctei also runs Saxon with every URI read
  forbidden). Every function tolerates TEI that cmctei did not write: a
  missing header field gives an empty string, never an error.
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns:tei="http://www.tei-c.org/ns/1.0"
                xmlns:cm="urn:cmctei"
                xmlns:frus="http://history.state.gov/frus/ns/1.0"
                exclude-result-prefixes="#all">

  <xsl:include href="header.xsl"/>

  <!-- ============================================================ a document of a volume

       Set by cmctei publish when it publishes a volume (a TEI file holding many
       div[@type='document'], FRUS) one document at a time:
         cm:volume  the volume's outline, <cm:volume id href title> holding
                 <cm:part id key href n title date pages position/> per document and
                 <cm:target id href/> for every element something in the volume points
                 at (#id), with the page it is published on;
         cm:part    the id (cm:part/@id) of the document being published; '' on the
                 volume's contents page. -->
  <xsl:param name="cm:volume" as="document-node()?" select="()"/>
  <xsl:param name="cm:part" as="xs:string" select="''"/>
  <xsl:key name="cm:outline" match="cm:part | cm:target" use="@id"/>

  <!-- XML's whitespace characters (what \s matches in an XPath regular expression), for tests
       on one character that need no regular expression (issue 18: Saxon's engine is slow). -->
  <xsl:variable name="cm:xml-whitespace" as="xs:string+" select="('&#32;', '&#9;', '&#10;', '&#13;')"/>

  <xsl:function name="cm:outline-part" as="element()?">
    <xsl:sequence select="if (exists($cm:volume) and $cm:part) then key('cm:outline', $cm:part, $cm:volume)[self::cm:part][1] else ()"/>
  </xsl:function>

  <!-- "No. 12: Mr. Seat to Mr. Gresham", or the title alone when it starts with its number. -->
  <xsl:function name="cm:part-label" as="xs:string">
    <xsl:param name="entry" as="element()?"/>
    <xsl:variable name="n" select="normalize-space($entry/@n)"/>
    <xsl:variable name="title" select="normalize-space($entry/@title)"/>
    <xsl:sequence select="if (not($n)) then ($title[.], 'Document')[1]
                          else if (starts-with(replace($title, '^No\.\s*', ''), $n)) then $title
                          else string-join(('No. ' || $n, $title[.]), ': ')"/>
  </xsl:function>

  <!-- ============================================================ pointers

       A pointer "#id" leads to the element with that id on this page, else (a document of a
       volume) to the page the volume outline names; else nowhere (it stays text). An
       element something points at gets the id on the page (cm:targeted), so the link lands
       on it; other elements get none (the seeds' pages do not change). -->
  <xsl:key name="cm:pointers" match="@target | @corresp | @ref" use="tokenize(normalize-space(.), ' ')[starts-with(., '#')] ! substring(., 2)"/>

  <xsl:function name="cm:href" as="xs:string">
    <xsl:param name="context" as="node()"/>
    <xsl:param name="pointer" as="xs:string?"/>
    <xsl:variable name="token" select="tokenize(normalize-space($pointer), ' ')[1]"/>
    <xsl:variable name="id" select="if (starts-with($token, '#')) then substring($token, 2) else ''"/>
    <xsl:variable name="local" select="if ($id) then key('cm:by-id', $id, root($context))
      [ancestor::tei:text][not(exists($cm:volume) and self::tei:div[@type = 'document'])] else ()"/>
    <xsl:sequence select="if (not($id)) then ''
      else if ($local and cm:targeted($local[1])) then '#' || $id
      else if (exists($cm:volume)) then string(key('cm:outline', $id, $cm:volume)[1]/@href)
      else ''"/>
  </xsl:function>

  <xsl:function name="cm:targeted" as="xs:boolean">
    <xsl:param name="element" as="element()"/>
    <xsl:variable name="id" select="string($element/@xml:id)"/>
    <!-- (the keys first: most ids are pointed at by nothing, and a regular expression in
         Saxon costs more than a key; issue 18) -->
    <xsl:sequence select="$id != '' and (exists(key('cm:pointers', $id, root($element))) or (exists($cm:volume) and exists(key('cm:outline', $id, $cm:volume))))
      and not(matches($id, '^(text|notes-heading|cite-heading|fn-.*|ref-fn-.*|page-.*|t=.*)$'))"/>
  </xsl:function>

  <!-- ============================================================ what is a block

       HTML allows no block inside phrasing content (a paragraph inside a span). TEI does
       (a quotation of paragraphs inside a paragraph, a figure inside a highlighted phrase),
       so a block met where HTML wants phrasing is written as a span shown as a block. -->

  <!-- 'flow' (rendered as a container of blocks), 'phrasing' (rendered as an element that
       holds phrasing only), or '' (rendered as its content only). -->
  <xsl:function name="cm:rendered-as" as="xs:string">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="
      if ($e/self::tei:note) then (if (cm:is-footnote($e)) then 'flow' else 'phrasing')
      else if ($e/(self::tei:p | self::tei:ab)) then (if (cm:blocky($e)) then 'flow' else 'phrasing')
      else if ($e/self::tei:quote) then (if (cm:block-quote($e)) then 'flow' else 'phrasing')
      else if ($e/(self::tei:text | self::tei:front | self::tei:body | self::tei:back | self::tei:div | self::tei:item
                   | self::tei:cell | self::tei:sp | self::tei:u | self::tei:figure | self::tei:cit | self::tei:floatingText
                   | self::tei:list | self::tei:table | self::tei:row | self::tei:lg | self::tei:opener | self::tei:closer
                   | self::tei:postscript | self::tei:argument | self::tei:epigraph | self::tei:titlePage
                   | self::tei:docTitle | self::tei:listBibl | self::frus:attachment)
                   or matches(local-name($e), '^div\d$')) then 'flow'
      else if ($e/(self::tei:head | self::tei:hi | self::tei:emph | self::tei:foreign | self::tei:title | self::tei:persName
                   | self::tei:name | self::tei:placeName | self::tei:orgName | self::tei:ref | self::tei:q | self::tei:said
                   | self::tei:unclear | self::tei:supplied | self::tei:date | self::tei:gloss | self::tei:term
                   | self::tei:mentioned | self::tei:soCalled | self::tei:l | self::tei:dateline | self::tei:salute
                   | self::tei:signed | self::tei:byline | self::tei:docDate | self::tei:trailer | self::tei:titlePart
                   | self::tei:docImprint | self::tei:speaker | self::tei:seg | self::tei:choice | self::tei:fw
                   | self::tei:stamp | self::tei:gi | self::tei:code | self::tei:label)) then 'phrasing'
      else ''"/>
  </xsl:function>

  <xsl:function name="cm:in-phrasing" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <!-- first a plain path test, as nearly every block has no ancestor that could be
         phrasing (measured: calling the functions below for every paragraph of a 50 MB
         chapter cost 80 MB of Saxon's heap) -->
    <xsl:sequence select="exists($e/ancestor::*[self::tei:p or self::tei:ab or self::tei:quote or self::tei:note
        or self::tei:head or self::tei:hi or self::tei:emph or self::tei:foreign or self::tei:title or self::tei:persName
        or self::tei:name or self::tei:placeName or self::tei:orgName or self::tei:ref or self::tei:q or self::tei:said
        or self::tei:unclear or self::tei:supplied or self::tei:date or self::tei:gloss or self::tei:term
        or self::tei:mentioned or self::tei:soCalled or self::tei:l or self::tei:dateline or self::tei:salute
        or self::tei:signed or self::tei:byline or self::tei:docDate or self::tei:trailer or self::tei:titlePart
        or self::tei:docImprint or self::tei:speaker or self::tei:seg or self::tei:choice or self::tei:fw
        or self::tei:stamp or self::tei:gi or self::tei:code or self::tei:label][1]) and cm:in-phrasing-of($e)"/>
  </xsl:function>

  <xsl:function name="cm:in-phrasing-of" as="xs:boolean">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="around" select="$e/ancestor::*[cm:rendered-as(.)][1]"/>
    <xsl:sequence select="if (not($around) or $around/self::tei:note[cm:is-footnote(.)]) then false()
                          else if (cm:rendered-as($around) = 'phrasing') then true()
                          else cm:in-phrasing-of($around)"/>
  </xsl:function>

  <!-- A paragraph that holds blocks (lists, tables, block quotations) cannot be an HTML p. -->
  <xsl:function name="cm:blocky" as="xs:boolean">
    <xsl:param name="p" as="element()"/>
    <xsl:sequence select="exists($p/*) and exists($p//*[self::tei:list or self::tei:table or self::tei:quote[cm:block-quote(.)]
                          or self::tei:lg or self::tei:p or self::tei:figure or self::tei:cit or self::tei:floatingText
                          or self::tei:sp or self::tei:u][not(ancestor::tei:note)])"/>
  </xsl:function>

  <xsl:function name="cm:block-quote" as="xs:boolean">
    <xsl:param name="quote" as="element()"/>
    <xsl:sequence select="tokenize($quote/@rend, '\s+') = ('block', 'blockquote', 'display')
                          or exists($quote/(tei:p | tei:lg | tei:list | tei:table))"/>
  </xsl:function>

  <!-- ============================================================ common TEI

       A footnote is a note printed apart from the text (numbered, listed at the end); a note
       printed where it stands (place or rend "inline"), a speech's label (type "speaker")
       and a transcriber's comment in a sitting (a note without place or number beside or
       in an utterance) are not. -->
  <xsl:function name="cm:is-footnote" as="xs:boolean">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="not($note/@type = 'speaker' or $note/@place = 'inline' or $note/@rend = 'inline'
                          or (not($note/@place or $note/@n) and ($note/ancestor::tei:u or $note/../tei:u)))"/>
  </xsl:function>

  <!-- The label of an utterance: the note type="speaker" just before it, else the person
       @who points at, else @who itself. -->
  <xsl:function name="cm:u-label" as="xs:string">
    <xsl:param name="u" as="element()"/>
    <xsl:variable name="note" select="$u/preceding-sibling::*[1][self::tei:note[@type = 'speaker']]"/>
    <xsl:variable name="who" select="tokenize(normalize-space($u/@who), ' ')[1]"/>
    <xsl:variable name="person" select="if (starts-with($who, '#')) then key('cm:by-id', substring($who, 2), root($u)) else ()"/>
    <xsl:sequence select="(normalize-space($note), normalize-space(($person/(tei:persName, tei:name))[1]),
                           replace($who, '^.*#', ''), 'Speaker')[.][1]"/>
  </xsl:function>

  <xsl:function name="cm:speaker-note-of" as="element()?">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="$note/following-sibling::*[1][self::tei:u]"/>
  </xsl:function>

  <!-- choice: the reading shown (correction, regularisation, expansion) and the names of
       the others. -->
  <xsl:function name="cm:choice-shown" as="element()?">
    <xsl:param name="choice" as="element()"/>
    <xsl:sequence select="($choice/tei:corr, $choice/tei:reg, $choice/tei:expan, $choice/*)[1]"/>
  </xsl:function>

  <xsl:function name="cm:choice-name" as="xs:string">
    <xsl:param name="reading" as="element()"/>
    <xsl:sequence select="local-name($reading)"/>
  </xsl:function>

  <!-- The renditions of an element: @rend tokens, lower-cased, and what its @style says. -->
  <xsl:function name="cm:renditions" as="xs:string*">
    <xsl:param name="e" as="element()"/>
    <xsl:variable name="style" select="lower-case(replace(string($e/@style), '\s', ''))"/>
    <xsl:sequence select="(tokenize(lower-case(normalize-space($e/@rend)), ' ')[.],
      if (contains($style, 'font-style:italic')) then 'italic' else (),
      if (matches($style, 'font-weight:(bold|[6-9]00)')) then 'bold' else (),
      if (contains($style, 'small-caps')) then 'smallcaps' else (),
      if (contains($style, 'vertical-align:super')) then 'sup' else (),
      if (contains($style, 'vertical-align:sub')) then 'sub' else (),
      if (contains($style, 'underline')) then 'underline' else (),
      if (contains($style, 'line-through')) then 'strikethrough' else ())"/>
  </xsl:function>

  <!-- Tokens of a linguistically annotated text (w, pc, and their containers): whitespace
       between two of them is layout, one space in the text unless @join says otherwise. -->
  <xsl:function name="cm:between-tokens" as="xs:boolean">
    <xsl:param name="space" as="text()"/>
    <!-- (the structure is looked at first: a text without tokens costs no string work; measured
         on a 50 MB chapter) -->
    <xsl:sequence select="exists(($space/preceding-sibling::*[1] | $space/following-sibling::*[1])[self::tei:w or self::tei:pc])
                          and not(normalize-space($space)) and exists(cm:token-before($space)) and exists(cm:token-after($space))"/>
  </xsl:function>

  <xsl:function name="cm:token-before" as="element()?">
    <xsl:param name="space" as="text()"/>
    <xsl:sequence select="$space/preceding::*[self::tei:w or self::tei:pc][not(parent::tei:w)][1]"/>
  </xsl:function>

  <xsl:function name="cm:token-after" as="element()?">
    <xsl:param name="space" as="text()"/>
    <xsl:sequence select="$space/following::*[self::tei:w or self::tei:pc][1]"/>
  </xsl:function>

  <xsl:function name="cm:joined" as="xs:boolean">
    <xsl:param name="space" as="text()"/>
    <xsl:sequence select="cm:token-before($space)/@join = ('right', 'both') or cm:token-after($space)/@join = ('left', 'both')"/>
  </xsl:function>

  <!-- "1962-10-27" → "October 27, 1962"; "1996" → "1996"; anything else as given. -->
  <xsl:function name="cm:date-long" as="xs:string">
    <xsl:param name="iso" as="xs:string"/>
    <xsl:sequence select="
      if ($iso castable as xs:date) then format-date(xs:date($iso), '[MNn] [D], [Y]')
      else if ($iso castable as xs:dateTime) then format-dateTime(xs:dateTime($iso), '[MNn] [D], [Y]')
      else if (matches($iso, '^\d{4}-\d{2}$')) then format-date(xs:date($iso || '-01'), '[MNn] [Y]')
      else $iso"/>
  </xsl:function>

  <xsl:function name="cm:category" as="xs:string" cache="yes">
    <xsl:param name="tei" as="element()"/>
    <xsl:param name="scheme" as="xs:string"/>
    <xsl:sequence select="substring(string(($tei//tei:textClass/tei:catRef[@scheme = '#' || $scheme]/@target)[1]), 2)"/>
  </xsl:function>

  <xsl:function name="cm:category-label" as="xs:string" cache="yes">
    <xsl:param name="tei" as="element()"/>
    <xsl:param name="scheme" as="xs:string"/>
    <xsl:variable name="code" select="cm:category($tei, $scheme)"/>
    <xsl:variable name="declared" select="$tei//tei:taxonomy[@xml:id = $scheme]/tei:category[@xml:id = $code]/tei:catDesc"/>
    <xsl:sequence select="if ($declared) then normalize-space($declared[1]) else $code"/>
  </xsl:function>

  <xsl:function name="cm:handling" as="xs:string*">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="$tei//tei:textClass/tei:keywords[@scheme = '#handling']/tei:term/normalize-space()"/>
  </xsl:function>

  <!-- A telegram's precedence as printed with its mark (IMMEDIATE, FLASH, NIACT): how fast it
       was to be handled, beside the caveats that say who may read it. -->
  <xsl:function name="cm:precedence" as="xs:string*">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="$tei//tei:textClass/tei:keywords[@scheme = '#precedence']/tei:term/normalize-space()"/>
  </xsl:function>

  <!-- The classification as the document bears it: its first printed mark, else the level.
       In the plain text, struck words are said to be struck, as its body says them
       ("[struck: TOP SECRET] - SENSITIVE"): a struck level is not the document's. -->
  <xsl:function name="cm:banner" as="xs:string" cache="yes">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="mark" select="($tei/tei:text//tei:fw[@type = 'classification'])[1]"/>
    <xsl:variable name="level" select="cm:category-label($tei, 'classification')"/>
    <xsl:variable name="words" as="xs:string*">
      <xsl:apply-templates select="$mark/node()" mode="cm:banner-words"/>
    </xsl:variable>
    <xsl:sequence select="if ($mark) then normalize-space(string-join($words, ''))
                          else if (cm:category($tei, 'classification') = ('', 'unmarked')) then ''
                          else $level"/>
  </xsl:function>

  <!-- The words of a printed mark: its notes are not part of it. A struck word is a word here;
       text.xsl says it is struck as its body does (its own rule for tei:del, of higher priority). -->
  <xsl:template match="text()" mode="cm:banner-words"><xsl:value-of select="."/></xsl:template>
  <xsl:template match="tei:note" mode="cm:banner-words"/>

  <!-- ============================================================ gaps and times -->

  <xsl:function name="cm:plural" as="xs:string">
    <xsl:param name="n" as="xs:decimal"/>
    <xsl:param name="word" as="xs:string"/>
    <xsl:sequence select="$n || ' ' || $word || (if ($n = 1) then '' else 's')"/>
  </xsl:function>

  <!-- "7 seconds", "1 minute 37 seconds", "1.5 lines", "3 lines"; else @dur, else @extent as
       written ("2 letters") -->
  <xsl:function name="cm:extent" as="xs:string">
    <xsl:param name="gap" as="element()"/>
    <xsl:variable name="q" select="if ($gap/@quantity castable as xs:decimal) then xs:decimal($gap/@quantity) else ()"/>
    <xsl:choose>
      <xsl:when test="exists($q) and $gap/@unit = 's'">
        <xsl:variable name="minutes" select="xs:integer(floor($q div 60))"/>
        <xsl:variable name="seconds" select="$q - 60 * $minutes"/>
        <xsl:sequence select="string-join((
          if ($minutes gt 0) then cm:plural($minutes, 'minute') else (),
          if ($seconds gt 0 or $minutes = 0) then cm:plural($seconds, 'second') else ()), ' ')"/>
      </xsl:when>
      <xsl:when test="exists($q) and $gap/@unit = 'line'">
        <xsl:sequence select="cm:plural($q, 'line')"/>
      </xsl:when>
      <xsl:when test="exists($q)">
        <xsl:sequence select="$q || ' ' || string($gap/@unit)"/>
      </xsl:when>
      <xsl:when test="$gap/@dur">
        <xsl:sequence select="string($gap/@dur)"/>
      </xsl:when>
      <xsl:when test="normalize-space($gap/@extent)">
        <xsl:sequence select="normalize-space($gap/@extent)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="''"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- What an editor wants to read at a gap: "7 seconds excised — classified". -->
  <xsl:function name="cm:gap-label" as="xs:string">
    <xsl:param name="gap" as="element()"/>
    <xsl:variable name="extent" select="cm:extent($gap)"/>
    <xsl:variable name="reason" select="string($gap/@reason)"/>
    <xsl:sequence select="
      if ($reason = 'classified') then normalize-space($extent || ' excised — classified')
      else if ($reason = 'sanitized') then normalize-space($extent || ' whited out — sanitized')
      else if ($reason = 'inaudible') then 'inaudible'
      else if ($reason = 'not-transcribed') then 'not transcribed'
      else normalize-space(string-join(($extent, 'omitted',
             string-join(($reason[.], normalize-space($gap/tei:desc)[.]), ', ')[.] ! ('— ' || .)), ' '))"/>
  </xsl:function>

  <!-- Seconds since the start of the tape → "05:03" (or "1:02:05"). -->
  <xsl:function name="cm:clock" as="xs:string">
    <xsl:param name="seconds" as="xs:decimal"/>
    <xsl:variable name="s" select="xs:integer(floor($seconds))"/>
    <xsl:sequence select="if ($s ge 3600)
      then format-number($s idiv 3600, '0') || ':' || format-number(($s mod 3600) idiv 60, '00') || ':' || format-number($s mod 60, '00')
      else format-number($s idiv 60, '00') || ':' || format-number($s mod 60, '00')"/>
  </xsl:function>

  <!-- The tape time of an anchor[@synch], in seconds, or () when it does not resolve. -->
  <xsl:function name="cm:anchor-seconds" as="xs:decimal?">
    <xsl:param name="anchor" as="element()"/>
    <xsl:variable name="id" select="substring(tokenize(normalize-space($anchor/@synch), ' ')[1], 2)"/>
    <xsl:variable name="when" select="key('cm:by-id', $id, root($anchor))[self::tei:when]"/>
    <xsl:sequence select="if ($when/@interval castable as xs:decimal) then xs:decimal($when/@interval) else ()"/>
  </xsl:function>

  <!-- The register id behind a local participant pointer ("#jfk" → "jfk"), or "". -->
  <xsl:function name="cm:person-id" as="xs:string">
    <xsl:param name="context" as="node()"/>
    <xsl:param name="pointer" as="xs:string?"/>
    <!-- (the first token without tokenize(): its pattern runs in Saxon's regular-expression
         engine, for every name of the text, twice; issue 18) -->
    <xsl:variable name="normal" select="normalize-space($pointer)"/>
    <xsl:variable name="token" select="if (contains($normal, ' ')) then substring-before($normal, ' ') else $normal"/>
    <xsl:variable name="local" select="if (starts-with($token, '#')) then key('cm:by-id', substring($token, 2), root($context)) else ()"/>
    <xsl:sequence select="
      if (starts-with($token, 'persons.xml#')) then substring-after($token, '#')
      else if (starts-with(string($local/@sameAs), 'persons.xml#')) then substring-after($local/@sameAs, '#')
      else ''"/>
  </xsl:function>

  <!-- A footnote's number: its own @n, unless another note of the page has the same one
       (the chapters of a volume each start at 1): then its number on the page. -->
  <!-- (memoised: the marker in the text and the entry in the list of notes each ask it, and a
       footnote's own number is checked against every other's through a key; issue 18) -->
  <xsl:function name="cm:footnote-key" as="xs:string" cache="yes">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="if ($note/@n and count(key('cm:notes-by-n', string($note/@n), root($note))) = 1) then string($note/@n)
                          else string($note/accumulator-before('cm:text-notes'))"/>
  </xsl:function>

  <!-- Lookups and counts that would otherwise scan the document once per element (quadratic
       on a long document; measured by `make bench`): keys for pointers, accumulators for the
       running number of notes. -->
  <xsl:mode use-accumulators="#all"/>
  <xsl:key name="cm:by-id" match="*[@xml:id]" use="@xml:id"/>
  <xsl:key name="cm:anchors-by-synch" match="tei:anchor[@synch]" use="@synch"/>
  <xsl:key name="cm:pages-by-n" match="tei:pb[@n]" use="@n"/>
  <xsl:key name="cm:notes-by-n" match="tei:note[@n][cm:is-footnote(.)]" use="string(@n)"/>

  <!-- notes so far, this one included: every note, and the notes of the text -->
  <xsl:accumulator name="cm:notes" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="tei:note[cm:is-footnote(.)]" select="$value + 1"/>
  </xsl:accumulator>
  <xsl:accumulator name="cm:text-notes" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="tei:text//tei:note[cm:is-footnote(.)]" select="$value + 1"/>
  </xsl:accumulator>

</xsl:stylesheet>
