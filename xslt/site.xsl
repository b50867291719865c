<?xml version="1.0" encoding="UTF-8"?>
<!--
  site.xsl - what every page of the site shares: the site header (navigation and
  the search box), breadcrumbs, the slots for the previous/next links, the line
  between primary documents and secondary sources, and a display title that says
  who wrote to whom.

  Included by html.xsl, index.xsl, persons.xsl, search.xsl and sequence.xsl; each
  of them declares site-title. Reads only the document being transformed and its
  parameters.

  Parameters:
    cm:secondary-genres (xs:string*, default 'chapter', 'article', 'book',
                 'monograph', 'essay', 'review')  genre codes (catRef targets)
                 of secondary sources: they are listed apart from the primary
                 documents and walked separately by previous/next.
    cm:register  (document-node()?)  the person register as cmctei hands it to
                 the document pages: <persons><person id="…" name="…"/></persons>
                 (main names only). Empty when a stylesheet is run alone: names
                 are then shown as the document prints them.
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema"
                xmlns:tei="http://www.tei-c.org/ns/1.0"
                xmlns:cm="urn:cmctei"
                xmlns="http://www.w3.org/1999/xhtml"
                exclude-result-prefixes="#all">

  <xsl:param name="cm:secondary-genres" as="xs:string*"
             select="('chapter', 'article', 'book', 'monograph', 'essay', 'review')"/>
  <xsl:param name="cm:register" as="document-node()?" select="()"/>
  <xsl:key name="cm:register-person" match="person" use="@id"/>

  <!-- ============================================================ primary and secondary -->

  <xsl:function name="cm:is-secondary" as="xs:boolean">
    <xsl:param name="genre" as="xs:string?"/>
    <xsl:sequence select="$genre = $cm:secondary-genres"/>
  </xsl:function>

  <xsl:function name="cm:kind-label" as="xs:string">
    <xsl:param name="genre" as="xs:string?"/>
    <xsl:sequence select="if (cm:is-secondary($genre)) then 'Secondary sources' else 'Primary documents'"/>
  </xsl:function>

  <!-- ============================================================ display titles

       A master's main title is what the document prints or what its editor gave it. When
       it is only a genre word ("Ciphered Telegram", "Memorandum"), the page and the index
       say who wrote to whom, from correspDesc: "Ciphered Telegram From Anatoly Dobrynin to
       the Soviet Ministry of Foreign Affairs". The heading printed in the text stays as
       printed. A title that already says more is kept as it is. -->
  <xsl:function name="cm:generic-title" as="xs:boolean">
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="genre-words" as="xs:string"/>
    <xsl:variable name="words" select="tokenize(lower-case($title), '[^\p{L}\p{N}]+')[.]"/>
    <xsl:variable name="genre" select="tokenize(lower-case($genre-words), '[^\p{L}\p{N}]+')[.]"/>
    <xsl:sequence select="count($words) ge 1 and count($words) le 3 and $words = $genre"/>
  </xsl:function>

  <xsl:function name="cm:display-title" as="xs:string">
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="genre-words" as="xs:string"/>
    <xsl:param name="senders" as="xs:string*"/>
    <xsl:param name="recipients" as="xs:string*"/>
    <xsl:sequence select="if (not(cm:generic-title($title, $genre-words)) or empty(($senders, $recipients)[.])) then $title
      else string-join(($title,
        if (exists($senders[.])) then 'From ' || string-join($senders[.], ' and ') else (),
        if (exists($recipients[.])) then (if (exists($senders[.])) then 'to ' else 'To ') || string-join($recipients[.], ' and ') else ()), ' ')"/>
  </xsl:function>

  <!-- A name of correspDesc as the title says it: the register's main name for a person
       of the register, else the name as printed (capitals made title case); "the" before
       a body's name ("the Soviet Ministry of Foreign Affairs"). -->
  <xsl:function name="cm:corresp-name" as="xs:string">
    <xsl:param name="name" as="element()"/>
    <xsl:variable name="id" select="cm:person-id($name, string($name/@ref))"/>
    <xsl:variable name="registered" select="if ($id and exists($cm:register)) then string(key('cm:register-person', $id, $cm:register)[1]/@name) else ''"/>
    <xsl:variable name="local" select="if ($id) then normalize-space(($name/root()//tei:particDesc//tei:person[substring-after(@sameAs, '#') = $id]/tei:persName)[1]) else ''"/>
    <xsl:variable name="printed" select="normalize-space($name)"/>
    <xsl:variable name="shown" select="($registered[.], $local[.], cm:title-case($printed))[1]"/>
    <xsl:sequence select="if ($name/self::tei:persName or starts-with(lower-case($shown), 'the ')) then $shown else 'the ' || $shown"/>
  </xsl:function>

  <xsl:function name="cm:title-case" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:sequence select="if ($text != upper-case($text)) then $text
      else string-join(tokenize($text, ' ') ! (substring(., 1, 1) || lower-case(substring(., 2))), ' ')"/>
  </xsl:function>

  <!-- The display title of a TEI document (the page's h1 and title). -->
  <xsl:function name="cm:display-title-of" as="xs:string" cache="yes">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="corresp" select="$tei/tei:teiHeader/tei:profileDesc/tei:correspDesc/tei:correspAction"/>
    <xsl:sequence select="cm:display-title(cm:title($tei), cm:category-label($tei, 'genre') || ' ' || cm:category($tei, 'genre'),
      $corresp[@type = 'sent']/(tei:persName | tei:name | tei:orgName) ! cm:corresp-name(.),
      $corresp[@type = 'received']/(tei:persName | tei:name | tei:orgName) ! cm:corresp-name(.))"/>
  </xsl:function>

  <!-- The display title of a document of the corpus summary (index pages, person index,
       previous/next): its title, and for a generic one who wrote to whom, from the
       summary's <corresp type="sent|received" person="…">name as printed</corresp>, persons
       of the register by their main name. -->
  <xsl:key name="cm:corpus-person" match="/corpus/person" use="@id"/>
  <xsl:function name="cm:summary-title" as="xs:string">
    <xsl:param name="doc" as="element()"/>
    <xsl:sequence select="cm:display-title(string($doc/@title), $doc/@genre-label || ' ' || $doc/@genre,
      $doc/corresp[@type = 'sent'] ! cm:summary-name(.), $doc/corresp[@type = 'received'] ! cm:summary-name(.))"/>
  </xsl:function>
  <xsl:function name="cm:summary-name" as="xs:string">
    <xsl:param name="corresp" as="element()"/>
    <xsl:variable name="registered" select="if ($corresp/@person) then string(key('cm:corpus-person', string($corresp/@person), root($corresp))[1]/@name) else ''"/>
    <xsl:variable name="shown" select="($registered[.], cm:title-case(normalize-space($corresp)))[1]"/>
    <xsl:sequence select="if ($corresp/@person or $corresp/@element = 'persName' or starts-with(lower-case($shown), 'the ')) then $shown else 'the ' || $shown"/>
  </xsl:function>

  <!-- ============================================================ the site header -->

  <!-- The site's navigation and its search box. The box is a plain form: it opens
       search.html?q=…, which searches with JavaScript (Pagefind) and, without it, says so
       and leads to the index. -->
  <xsl:template name="cm:site-nav">
    <xsl:param name="current" as="xs:string" select="''"/>
    <nav class="site" aria-label="Site">
      <ul>
        <li><a href="index.html"><xsl:if test="$current = 'collection'"><xsl:attribute name="aria-current" select="'page'"/></xsl:if><xsl:value-of select="$site-title"/>: the collection</a></li>
        <li><a href="persons.html"><xsl:if test="$current = 'persons'"><xsl:attribute name="aria-current" select="'page'"/></xsl:if>Persons</a></li>
        <li><a href="search.html"><xsl:if test="$current = 'search'"><xsl:attribute name="aria-current" select="'page'"/></xsl:if>Search</a></li>
      </ul>
    </nav>
    <xsl:if test="$current != 'search'">
      <form class="search-box" role="search" action="search.html" method="get">
        <label for="cm-site-search">Search the documents</label>
        <xsl:text> </xsl:text>
        <input id="cm-site-search" name="q" type="search"/>
        <xsl:text> </xsl:text>
        <button type="submit">Search</button>
      </form>
    </xsl:if>
  </xsl:template>

  <!-- Where a document stands: the collection, its part (primary documents or secondary
       sources), the document. -->
  <xsl:template name="cm:breadcrumbs">
    <xsl:param name="genre" as="xs:string"/>
    <xsl:param name="title" as="xs:string"/>
    <nav class="breadcrumbs" aria-label="Breadcrumbs">
      <ol>
        <li><a href="index.html"><xsl:value-of select="$site-title"/></a></li>
        <li><a href="index.html#{if (cm:is-secondary($genre)) then 'secondary' else 'primary'}"><xsl:value-of select="cm:kind-label($genre)"/></a></li>
        <li aria-current="page"><xsl:value-of select="$title"/></li>
      </ol>
    </nav>
  </xsl:template>

  <!-- Where cmctei puts the previous/next links once it knows the whole collection
       (sequence.xsl makes them; a page whose neighbours change gets new links without
       being transformed again). -->
  <xsl:template name="cm:sequence-slot">
    <xsl:param name="where" as="xs:string" select="'top'"/>
    <xsl:comment>cmctei:sequence-<xsl:value-of select="$where"/></xsl:comment>
    <xsl:comment>/cmctei:sequence-<xsl:value-of select="$where"/></xsl:comment>
  </xsl:template>

  <!-- ============================================================ search facets

       What the search index (Pagefind, run by cmctei publish over the site) files a
       document under: genre, classification, year, kind, and the persons of the register
       who speak, write, receive or are named in it; the date for sorting. Hidden: the page
       shows the same facts in its header. -->
  <xsl:template name="cm:search-facets">
    <xsl:param name="tei" as="element()"/>
    <xsl:variable name="genre" select="cm:category($tei, 'genre')"/>
    <xsl:variable name="date" select="cm:date($tei)"/>
    <xsl:variable name="ids" select="distinct-values((
      $tei//(tei:persName | tei:name)[@ref] ! cm:person-id(., string(@ref)),
      $tei//@who ! tokenize(normalize-space(.), ' ') ! cm:person-id($tei, .),
      $tei//tei:particDesc//tei:person[@xml:id] ! cm:person-id(., '#' || @xml:id))[.])"/>
    <div hidden="hidden" class="search-facets">
      <span data-pagefind-filter="kind"><xsl:value-of select="if (cm:is-secondary($genre)) then 'Secondary source' else 'Primary document'"/></span>
      <xsl:if test="$genre"><span data-pagefind-filter="genre"><xsl:value-of select="cm:category-label($tei, 'genre')"/></span></xsl:if>
      <xsl:if test="cm:category($tei, 'classification')">
        <span data-pagefind-filter="classification"><xsl:value-of select="cm:category-label($tei, 'classification')"/></span>
      </xsl:if>
      <xsl:if test="matches($date, '^\d{4}')">
        <span data-pagefind-filter="year" data-pagefind-sort="date:{$date}"><xsl:value-of select="substring($date, 1, 4)"/></span>
        <span data-pagefind-meta="date"><xsl:value-of select="cm:date-long($date)"/></span>
      </xsl:if>
      <xsl:for-each select="$ids">
        <xsl:sort select="."/>
        <xsl:variable name="name" select="if (exists($cm:register)) then string(key('cm:register-person', ., $cm:register)[1]/@name) else ."/>
        <span data-pagefind-filter="person"><xsl:value-of select="($name[.], .)[1]"/></span>
      </xsl:for-each>
    </div>
  </xsl:template>

</xsl:stylesheet>
