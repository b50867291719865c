<?xml version="1.0" encoding="UTF-8"?>
<!--
  text.xsl - a TEI document as plain text, for reading and text analysis.

  Parameters:
    width  (xs:integer, default 72)  wrap paragraphs at this many characters.

  Conventions of the output (UTF-8, one blank line between blocks):
    - the classification line as printed, at the top and at the bottom;
    - speaker turns as "Label: words" (a turn that starts with something
      else, e.g. a stage direction, has "Label:" on a line of its own
      first); tape times as "[05:03]";
    - footnote markers as "[1]", the notes listed at the end under "Notes";
    - every gap explicit: [EXCISED: 7 seconds, classified],
      [WHITED OUT: 1.5 lines, sanitized], [INAUDIBLE: Unclear],
      [NOT TRANSCRIBED];
    - struck-through words as [struck: no], stamps as [STAMP: SANITIZED],
      doubtful words followed by [?], non-verbal events in brackets;
    - page breaks as "[page 2]", page furniture in brackets.
    - choice: the reading shown, the other after it: "1728 [sic: 1724]";
    - utterances (u) as speeches, labelled by their note type="speaker";
      notes printed where they stand (rend or place "inline", transcribers'
      comments) in brackets there, not among the footnotes;
    - text written directly in a container (closer, opener, div) is a block
      of its own; a line break inside a word (break="no") joins the halves;
      tokens (w, pc) are spaced as their @join says.
  Elements this stylesheet does not know are rendered as their text, so
  TEI written elsewhere (e.g. FRUS) loses no words.
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns:tei="http://www.tei-c.org/ns/1.0"
                xmlns:cm="urn:cmctei"
                xmlns:frus="http://history.state.gov/frus/ns/1.0"
                xmlns:eg="http://www.tei-c.org/ns/Examples"
                exclude-result-prefixes="#all">

  <xsl:include href="common.xsl"/>
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:param name="width" as="xs:integer" select="72"/>

  <xsl:variable name="NL" select="'&#10;'"/>

  <xsl:function name="cm:wrap" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:param name="indent" as="xs:string"/>
    <xsl:variable name="n" select="max(($width - string-length($indent), 20))"/>
    <xsl:variable name="clean" select="normalize-space($text)"/>
    <!-- Each line: the longest run of whole words that fits in $n characters (a longer word on
         a line of its own). The regular expression runs in Java's engine (Saxon's flag ";j"):
         Saxon's own took more than half of the plain-text stage (issue 18). On a string
         normalize-space has made, it means what the XPath expression
         '(.{1,n})(\s|$)|(\S+)(\s|$)' means: the only whitespace left is the single space;
         "." with (?s) is any character whatever Java counts as a line end (XPath's "." excludes
         only the newline and the carriage return, both gone); both engines count characters,
         not UTF-16 units; "\z" is the end of the string, as XPath's "$" is without the flag
         "m". The default width's two patterns are written out: a pattern made at run time is
         compiled again at every call. tests/test_text_wrap.py compares the two on crafted and
         random text, at the default width and others. -->
    <xsl:sequence select="if ($clean = '') then ''
      else if ($n eq 72) then replace($clean, '(?s)(.{1,72})(?: |\z)|([^ ]+)(?: |\z)', $indent || '$1$2&#10;', ';j')
      else if ($n eq 68) then replace($clean, '(?s)(.{1,68})(?: |\z)|([^ ]+)(?: |\z)', $indent || '$1$2&#10;', ';j')
      else replace($clean, '(?s)(.{1,' || $n || '})(?: |\z)|([^ ]+)(?: |\z)', $indent || '$1$2&#10;', ';j')"/>
  </xsl:function>

  <!-- The string without its trailing whitespace. Not replace($s, '\s+$', ''): Saxon's regex
       engine takes time quadratic in the length for that pattern (measured by `make bench`:
       three quarters of the plain-text stage). -->
  <xsl:function name="cm:trim-end" as="xs:string">
    <xsl:param name="s" as="xs:string"/>
    <xsl:variable name="n" select="string-length($s)"/>
    <xsl:sequence select="if ($n gt 0 and substring($s, $n) = $cm:xml-whitespace)
                          then cm:trim-end(substring($s, 1, $n - 1)) else $s"/>
  </xsl:function>

  <xsl:template match="/">
    <xsl:apply-templates select="(tei:TEI, *)[1]" mode="document"/>
  </xsl:template>

  <xsl:template match="*" mode="document">
    <xsl:variable name="tei" select="."/>
    <xsl:variable name="banner" select="if (self::tei:TEI) then cm:banner(.) else ''"/>
    <xsl:variable name="facts" select="string-join((cm:date-long(cm:date(.))[.],
      cm:category-label(., 'genre')[.], cm:category-label(., 'classification')[.], cm:handling(.),
      cm:precedence(.) ! ('precedence ' || .),
      if (self::tei:TEI and cm:document-div(.)) then string-join((cm:volume-title(.)[.], cm:doc-number(.)[.] ! ('document ' || .),
          cm:pages(.)[.] ! ((if (contains(., '–')) then 'pages ' else 'page ') || .)), ', ')[.] else ()), ' · ')"/>
    <!-- The nodes that each give one block, in reading order (see mode "blocks"). -->
    <xsl:variable name="sources" as="node()*">
      <xsl:apply-templates select="(tei:text, tei:*[not(self::tei:teiHeader)], *[not(self::tei:teiHeader)])[1]" mode="blocks"/>
    </xsl:variable>
    <xsl:variable name="notes" select=".//tei:note[ancestor::tei:text][cm:is-footnote(.)]"/>
    <!-- Written block by block as each is made, never holding all of them or one joined
         string: on a long document that is most of the transform's peak memory (make bench). -->
    <xsl:value-of select="string-join(($banner[.], cm:title(.), $facts[.],
                            string-join((1 to min((72, string-length(cm:title(.))))) ! '='), ''), $NL) || $NL"/>
    <xsl:iterate select="$sources">
      <xsl:param name="started" as="xs:boolean" select="false()"/>
      <xsl:variable name="block" as="xs:string">
        <xsl:apply-templates select="." mode="block"/>
      </xsl:variable>
      <xsl:if test="normalize-space($block)">
        <xsl:if test="$started"><xsl:value-of select="$NL || $NL"/></xsl:if>
        <xsl:value-of select="cm:trim-end($block)"/>
        <xsl:next-iteration>
          <xsl:with-param name="started" select="true()"/>
        </xsl:next-iteration>
      </xsl:if>
    </xsl:iterate>
    <xsl:if test="$notes">
      <xsl:value-of select="$NL || $NL || 'Notes' || $NL || $NL"/>
      <xsl:for-each select="$notes">
        <xsl:if test="position() gt 1"><xsl:value-of select="$NL"/></xsl:if>
        <xsl:value-of select="cm:trim-end(cm:note-line(.))"/>
      </xsl:for-each>
    </xsl:if>
    <xsl:if test="$banner">
      <xsl:value-of select="$NL || $NL || $banner"/>
    </xsl:if>
    <xsl:value-of select="$NL"/>
  </xsl:template>

  <xsl:function name="cm:note-line" as="xs:string">
    <xsl:param name="note" as="element()"/>
    <xsl:variable name="body">
      <xsl:apply-templates select="$note/node()" mode="inline"/>
    </xsl:variable>
    <xsl:variable name="text" select="normalize-space($body)"/>
    <xsl:variable name="label" select="'[' || cm:footnote-key($note) || '] '"/>
    <xsl:sequence select="substring(cm:wrap($label || (if ($text = '[NOT TRANSCRIBED]' or $text = '')
      then '(the text of this note is not transcribed in the source)' else $text), ''), 1)"/>
  </xsl:function>

  <!-- ============================================================ blocks -->

  <!-- Mode "blocks" walks the containers and returns the nodes that each give one block;
       mode "block" makes the text of one of them. -->

  <xsl:template match="tei:timeline | tei:teiHeader" mode="blocks"/>

  <xsl:template match="tei:text | tei:body | tei:front | tei:back | tei:div | tei:opener | tei:closer | tei:listBibl | tei:list | tei:lg | tei:table | tei:row
                       | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:div5 | tei:div6 | tei:div7 | tei:figure | tei:floatingText
                       | tei:titlePage | tei:docTitle | tei:postscript | tei:argument | tei:epigraph | frus:attachment"
                mode="blocks">
    <xsl:apply-templates select="* | text()[normalize-space()]" mode="blocks"/>
  </xsl:template>

  <!-- Text and phrases standing directly in a container (a closer's "(and fifty citizens …)")
       make one block, from the first of them to the next block. -->
  <xsl:template match="text() | tei:hi | tei:emph | tei:foreign | tei:persName | tei:name | tei:placeName | tei:orgName
                       | tei:date | tei:ref | tei:ptr | tei:lb | tei:choice | tei:unclear | tei:supplied | tei:add | tei:del
                       | tei:gloss | tei:term | tei:w | tei:pc | tei:title | tei:q | tei:said | tei:rs | tei:num | tei:measure"
                mode="blocks">
    <xsl:if test="not(preceding-sibling::node()[not(self::text()) or normalize-space()][1][cm:in-run(.)])
                  and cm:run(.)[self::* or normalize-space()]">
      <xsl:sequence select="."/>
    </xsl:if>
  </xsl:template>

  <xsl:function name="cm:in-run" as="xs:boolean">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="exists($node/(self::text() | self::tei:hi | self::tei:emph | self::tei:foreign | self::tei:persName
      | self::tei:name | self::tei:placeName | self::tei:orgName | self::tei:date | self::tei:ref | self::tei:ptr | self::tei:lb
      | self::tei:choice | self::tei:unclear | self::tei:supplied | self::tei:add | self::tei:del | self::tei:gloss
      | self::tei:term | self::tei:w | self::tei:pc | self::tei:title | self::tei:q | self::tei:said | self::tei:rs
      | self::tei:num | self::tei:measure))"/>
  </xsl:function>

  <!-- The run a node starts: it and the siblings after it up to the next block. -->
  <xsl:function name="cm:run" as="node()*">
    <xsl:param name="first" as="node()"/>
    <!-- (an iteration that stops at the first block: a long division's siblings are not all
         read for each of its whitespace nodes) -->
    <xsl:iterate select="$first/following-sibling::node()">
      <xsl:param name="run" as="node()*" select="$first"/>
      <xsl:on-completion select="$run"/>
      <xsl:choose>
        <xsl:when test="cm:in-run(.)">
          <xsl:next-iteration><xsl:with-param name="run" select="($run, .)"/></xsl:next-iteration>
        </xsl:when>
        <xsl:otherwise><xsl:break select="$run"/></xsl:otherwise>
      </xsl:choose>
    </xsl:iterate>
  </xsl:function>

  <xsl:template match="node()[cm:in-run(.)]" mode="block" priority="1">
    <xsl:variable name="out">
      <xsl:apply-templates select="cm:run(.)" mode="inline"/>
    </xsl:variable>
    <xsl:sequence select="cm:wrap(string($out), '')"/>
  </xsl:template>

  <!-- An utterance: its label (the note type="speaker" before it) with its first segment;
       a label that labels an utterance is not a block of its own. -->
  <xsl:template match="tei:u" mode="blocks">
    <xsl:apply-templates select="* | text()[normalize-space()]" mode="blocks"/>
  </xsl:template>
  <xsl:template match="tei:note[@type = 'speaker'][cm:speaker-note-of(.)]" mode="blocks"/>
  <xsl:template match="tei:u/*[. is ../*[not(self::tei:note)][1]]" mode="block" priority="3">
    <xsl:sequence select="cm:wrap(cm:u-label(..) || ': ' || (if (self::tei:seg or self::tei:p or self::tei:ab) then cm:inline(.) else cm:inline-of(.)), '')"/>
  </xsl:template>

  <!-- A volume's contents page: a document is its entry. -->
  <xsl:template match="tei:div[@type = 'document'][$cm:volume and not($cm:part)]" mode="blocks" priority="2">
    <xsl:sequence select="."/>
  </xsl:template>
  <xsl:template match="tei:div[@type = 'document'][$cm:volume and not($cm:part)]" mode="block" priority="2">
    <xsl:variable name="entry" select="key('cm:outline', string(@xml:id), $cm:volume)[self::cm:part]"/>
    <xsl:variable name="entry" select="if ($entry) then $entry else $cm:volume/*/cm:part[@position = string(count(preceding::tei:div[@type = 'document']) + 1)]"/>
    <xsl:sequence select="cm:wrap(cm:part-label($entry) || (if ($entry/@date) then ' (' || cm:date-long($entry/@date) || ')' else ''), '')"/>
  </xsl:template>

  <!-- A TEI example: the markup as it is written. -->
  <xsl:template match="eg:egXML" mode="block">
    <xsl:sequence select="string-join(tokenize(string-join(node() ! serialize(.), ''), '\n') ! ('    ' || .), '&#10;')"/>
  </xsl:template>

  <!-- A speech: its first paragraph carries the speaker's label ("Label: words"); a speech
       that starts otherwise (a stage direction, verse) has the label on a line of its own first. -->
  <xsl:template match="tei:sp" mode="blocks">
    <xsl:variable name="speech" select="* except tei:speaker"/>
    <xsl:if test="not($speech[1][self::tei:p or self::tei:ab])">
      <xsl:sequence select="."/>
    </xsl:if>
    <xsl:apply-templates select="$speech" mode="blocks"/>
  </xsl:template>

  <xsl:template match="*" mode="blocks">
    <xsl:sequence select="."/>
  </xsl:template>

  <xsl:template match="tei:p | tei:ab | tei:head | tei:dateline | tei:signed | tei:salute | tei:item | tei:l | tei:cell | tei:bibl | tei:byline | tei:docDate | tei:label | tei:trailer | tei:argument | tei:epigraph | tei:docAuthor" mode="block">
    <xsl:sequence select="cm:wrap(cm:inline(.), '')"/>
  </xsl:template>

  <xsl:template match="tei:sp/*[self::tei:p or self::tei:ab][. is ../(* except tei:speaker)[1]]" mode="block" priority="2">
    <xsl:sequence select="cm:wrap(cm:label(..) || ' ' || cm:inline(.), '')"/>
  </xsl:template>

  <xsl:template match="tei:sp" mode="block">
    <xsl:sequence select="cm:label(.)"/>
  </xsl:template>

  <!-- A speech's label as printed (every speaker element: two in one turn are met in the wild). -->
  <xsl:function name="cm:label" as="xs:string">
    <xsl:param name="sp" as="element()"/>
    <xsl:sequence select="normalize-space(string-join($sp/tei:speaker, ' '))"/>
  </xsl:function>

  <xsl:template match="tei:quote | tei:cit" mode="block">
    <xsl:sequence select="cm:wrap(cm:inline(.), '    ')"/>
  </xsl:template>

  <xsl:template match="tei:fw" mode="block">
    <xsl:variable name="kind" select="if (@type = 'classification') then 'MARK' else if (@type = 'pageNum') then 'PAGE'
                                      else if (@type = 'header') then 'HEAD' else 'PAGE FURNITURE'"/>
    <xsl:sequence select="'[' || $kind || ': ' || normalize-space(cm:inline(.)) || ']'"/>
  </xsl:template>

  <xsl:template match="tei:pb | tei:gap | tei:incident | tei:vocal | tei:kinesic | tei:stamp | tei:anchor | tei:note" mode="block">
    <xsl:sequence select="cm:wrap(cm:inline-of(.), '')"/>
  </xsl:template>

  <!-- Unknown block-level elements: their text, never lost. -->
  <xsl:template match="*" mode="block">
    <xsl:sequence select="cm:wrap(cm:inline(.), '')"/>
  </xsl:template>

  <!-- ============================================================ inline -->

  <xsl:function name="cm:inline" as="xs:string">
    <xsl:param name="element" as="element()"/>
    <xsl:variable name="out">
      <xsl:apply-templates select="$element/node()" mode="inline"/>
    </xsl:variable>
    <xsl:sequence select="string($out)"/>
  </xsl:function>

  <xsl:function name="cm:inline-of" as="xs:string">
    <xsl:param name="element" as="element()"/>
    <xsl:variable name="out">
      <xsl:apply-templates select="$element" mode="inline"/>
    </xsl:variable>
    <xsl:sequence select="string($out)"/>
  </xsl:function>

  <xsl:template match="tei:note" mode="inline">
    <xsl:text>[</xsl:text><xsl:value-of select="cm:footnote-key(.)"/><xsl:text>]</xsl:text>
  </xsl:template>

  <!-- a note printed where it stands: its text there (in brackets, unless the source prints it
       inline as a heading, as FRUS does, or its printed words bring their own, as an editorial
       note "[Omitted here …]" does) -->
  <xsl:template match="tei:note[not(cm:is-footnote(.))]" mode="inline">
    <xsl:variable name="brackets" select="not(@rend = 'inline' or @type = 'speaker' or starts-with(normalize-space(.), '['))"/>
    <xsl:value-of select="if ($brackets) then ' [' else ' '"/>
    <xsl:apply-templates mode="inline"/>
    <xsl:value-of select="if ($brackets) then '] ' else ' '"/>
  </xsl:template>

  <xsl:template match="tei:choice[cm:choice-shown(.)]" mode="inline">
    <xsl:variable name="shown" select="cm:choice-shown(.)"/>
    <xsl:apply-templates select="$shown/node()" mode="inline"/>
    <xsl:for-each select="* except $shown">
      <xsl:value-of select="if (position() = 1) then ' [' else '; '"/>
      <xsl:value-of select="cm:choice-name(.)"/><xsl:text>: </xsl:text>
      <xsl:apply-templates mode="inline"/>
      <xsl:if test="position() = last()">]</xsl:if>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="text()[preceding-sibling::*[1][self::tei:w or self::tei:pc] or following-sibling::*[1][self::tei:w or self::tei:pc]]
                       [cm:between-tokens(.)]" mode="inline">
    <xsl:if test="not(cm:joined(.))"><xsl:text> </xsl:text></xsl:if>
  </xsl:template>

  <xsl:template match="tei:figure/tei:graphic | tei:graphic | tei:media" mode="inline">
    <xsl:text> [image] </xsl:text>
  </xsl:template>

  <xsl:template match="eg:egXML" mode="inline">
    <xsl:value-of select="' ' || string-join(node() ! serialize(.), '') || ' '"/>
  </xsl:template>

  <xsl:template match="tei:gap" mode="inline">
    <xsl:variable name="extent" select="cm:extent(.)"/>
    <xsl:variable name="desc" select="normalize-space(tei:desc)"/>
    <xsl:value-of select="
      if (@reason = 'classified') then '[EXCISED: ' || string-join(($extent[.], 'classified'), ', ') || ']'
      else if (@reason = 'sanitized') then '[WHITED OUT: ' || string-join(($extent[.], 'sanitized'), ', ') || ']'
      else if (@reason = 'inaudible') then '[INAUDIBLE' || (if ($desc) then ': ' || $desc else '') || ']'
      else if (@reason = 'not-transcribed') then '[NOT TRANSCRIBED]'
      else '[GAP' || string-join(($extent[.], $desc[.], string(@reason)[.]), ', ') ! (if (.) then ': ' || . else '') || ']'"/>
  </xsl:template>

  <xsl:template match="tei:del" mode="inline">
    <xsl:text>[struck: </xsl:text><xsl:apply-templates mode="inline"/><xsl:text>]</xsl:text>
  </xsl:template>

  <!-- the banner line (common.xsl cm:banner) says struck words as the body does -->
  <xsl:template match="tei:del" mode="cm:banner-words" priority="1">
    <xsl:apply-templates select="." mode="inline"/>
  </xsl:template>

  <xsl:template match="tei:stamp" mode="inline">
    <xsl:text>[STAMP: </xsl:text><xsl:apply-templates mode="inline"/><xsl:text>]</xsl:text>
  </xsl:template>

  <xsl:template match="tei:unclear" mode="inline">
    <xsl:apply-templates mode="inline"/><xsl:text>[?]</xsl:text>
  </xsl:template>

  <xsl:template match="tei:anchor[@synch]" mode="inline">
    <xsl:variable name="seconds" select="cm:anchor-seconds(.)"/>
    <xsl:if test="exists($seconds)">[<xsl:value-of select="cm:clock($seconds)"/>] </xsl:if>
  </xsl:template>

  <xsl:template match="tei:vocal | tei:incident | tei:kinesic" mode="inline">
    <xsl:text>[</xsl:text><xsl:value-of select="normalize-space(string-join(tei:desc//text(), ''))"/><xsl:text>]</xsl:text>
  </xsl:template>

  <xsl:template match="tei:pb" mode="inline">
    <xsl:variable name="label" select="if (normalize-space(@n)) then '[page ' || @n || ']' else '[page break]'"/>
    <xsl:value-of select="if (@break = 'no') then $label else ' ' || $label || ' '"/>
  </xsl:template>

  <xsl:template match="tei:fw" mode="inline">
    <xsl:text> [</xsl:text><xsl:apply-templates mode="inline"/><xsl:text>] </xsl:text>
  </xsl:template>

  <xsl:template match="tei:lb" mode="inline"><xsl:text> </xsl:text></xsl:template>
  <xsl:template match="tei:lb[@break = 'no' or @type = 'hyphenInWord']" mode="inline"/>

  <xsl:template match="tei:timeline | tei:teiHeader" mode="inline"/>

  <!-- Blocks inside a paragraph (lists, quotations, paragraphs in notes): spaced text. -->
  <xsl:template match="tei:p | tei:item | tei:l | tei:quote[@rend = 'block'] | tei:head | tei:seg[parent::tei:u] | tei:ab
                       | tei:cell | tei:row | tei:label | tei:figure | tei:list | tei:table | tei:lg | tei:sp | tei:u" mode="inline">
    <xsl:text> </xsl:text><xsl:apply-templates mode="inline"/><xsl:text> </xsl:text>
  </xsl:template>

  <xsl:template match="*" mode="inline">
    <xsl:apply-templates mode="inline"/>
  </xsl:template>

</xsl:stylesheet>
