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
                exclude-result-prefixes="#all">

  <!-- ============================================================ header facts -->

  <xsl:function name="cm:docid" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="string(($tei/@xml:id, $tei//tei:publicationStmt/tei:idno[@type = 'cmctei'],
                                  $tei//tei:publicationStmt/tei:idno, 'document')[normalize-space()][1])"/>
  </xsl:function>

  <xsl:function name="cm:title" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="titles" select="$tei/tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title"/>
    <xsl:variable name="head" select="($tei/tei:text//tei:head)[1]"/>
    <xsl:sequence select="normalize-space(string(($titles[@type = 'main'], $titles, $head)[1]))"/>
  </xsl:function>

  <xsl:function name="cm:date" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:sequence select="string(($tei//tei:profileDesc/tei:creation/tei:date/@when,
                                  ($tei/tei:text//tei:dateline//tei:date/@when)[1], '')[1])"/>
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

  <xsl:function name="cm:category" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:param name="scheme" as="xs:string"/>
    <xsl:sequence select="substring(string(($tei//tei:textClass/tei:catRef[@scheme = '#' || $scheme]/@target)[1]), 2)"/>
  </xsl:function>

  <xsl:function name="cm:category-label" as="xs:string">
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

  <!-- The classification as the document bears it: its first printed mark, else the level. -->
  <xsl:function name="cm:banner" as="xs:string">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="mark" select="($tei/tei:text//tei:fw[@type = 'classification'])[1]"/>
    <xsl:variable name="level" select="cm:category-label($tei, 'classification')"/>
    <xsl:sequence select="if ($mark) then normalize-space(string-join($mark//text()[not(ancestor::tei:note)], ''))
                          else if (cm:category($tei, 'classification') = ('', 'unmarked')) then ''
                          else $level"/>
  </xsl:function>

  <!-- ============================================================ gaps and times -->

  <xsl:function name="cm:plural" as="xs:string">
    <xsl:param name="n" as="xs:decimal"/>
    <xsl:param name="word" as="xs:string"/>
    <xsl:sequence select="$n || ' ' || $word || (if ($n = 1) then '' else 's')"/>
  </xsl:function>

  <!-- "7 seconds", "1 minute 37 seconds", "1.5 lines" -->
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
      else normalize-space(string-join(($extent, 'omitted', if ($reason) then '— ' || $reason else ()), ' '))"/>
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
    <xsl:variable name="token" select="tokenize(normalize-space($pointer), ' ')[1]"/>
    <xsl:variable name="local" select="if (starts-with($token, '#')) then key('cm:by-id', substring($token, 2), root($context)) else ()"/>
    <xsl:sequence select="
      if (starts-with($token, 'persons.xml#')) then substring-after($token, '#')
      else if (starts-with(string($local/@sameAs), 'persons.xml#')) then substring-after($local/@sameAs, '#')
      else ''"/>
  </xsl:function>

  <xsl:function name="cm:footnote-key" as="xs:string">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="if ($note/@n) then string($note/@n) else string($note/accumulator-before('cm:notes'))"/>
  </xsl:function>

  <!-- Lookups and counts that would otherwise scan the document once per element (quadratic
       on a long document; measured by `make bench`): keys for pointers, accumulators for the
       running number of notes. -->
  <xsl:mode use-accumulators="#all"/>
  <xsl:key name="cm:by-id" match="*[@xml:id]" use="@xml:id"/>
  <xsl:key name="cm:anchors-by-synch" match="tei:anchor[@synch]" use="@synch"/>
  <xsl:key name="cm:pages-by-n" match="tei:pb[@n]" use="@n"/>

  <!-- notes so far, this one included: every note, and the notes of the text -->
  <xsl:accumulator name="cm:notes" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="tei:note" select="$value + 1"/>
  </xsl:accumulator>
  <xsl:accumulator name="cm:text-notes" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="tei:text//tei:note" select="$value + 1"/>
  </xsl:accumulator>

</xsl:stylesheet>
