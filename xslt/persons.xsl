<?xml version="1.0" encoding="UTF-8"?>
<!--
  persons.xsl - the person index: everyone in the register, with what the
  register says of them (offices and the dates they were held, birth and death
  where it gives them, the names as printed), and the documents where they
  speak, write, sign, send, receive, take part or are named in the text
  (persName/@ref, tagged by the converter where the name is sure). Primary
  documents first, then secondary sources, each in date order.

  A person no document points at is said to be so, and no more: an untagged
  mention (a name the converter could not attribute for certain) may exist.

  Input: the corpus summary built by cmctei/site.py.
  Parameters: site-title (xs:string, default 'cmctei').
-->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:cm="urn:cmctei"
                xmlns="http://www.w3.org/1999/xhtml"
                exclude-result-prefixes="#all">
  <xsl:include href="common.xsl"/>
  <xsl:include href="site.xsl"/>
  <xsl:output method="html" html-version="5" encoding="UTF-8" include-content-type="no"/>
  <xsl:param name="site-title" as="xs:string" select="'cmctei'"/>
  <xsl:key name="roles" match="doc/role" use="@person"/>

  <!-- the register's role words, as a sentence says them -->
  <xsl:function name="cm:role-label" as="xs:string">
    <xsl:param name="role" as="xs:string"/>
    <xsl:sequence select="if ($role = 'is named') then 'named in the text' else $role"/>
  </xsl:function>

  <xsl:template match="/corpus">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>Persons — <xsl:value-of select="$site-title"/></title>
        <link rel="stylesheet" href="cmctei.css"/>
      </head>
      <body class="persons">
        <header class="site">
          <xsl:call-template name="cm:site-nav">
            <xsl:with-param name="current" select="'persons'"/>
          </xsl:call-template>
        </header>
        <main>
          <h1>Persons</h1>
          <p>Everyone in the person register, with the offices it records and the documents where they
            speak, write, sign, send, receive, take part or are named in the text.</p>
          <xsl:for-each select="person">
            <xsl:sort select="@sort"/>
            <section id="{@id}" class="person" aria-labelledby="h-{@id}">
              <h2 id="h-{@id}"><xsl:value-of select="@name"/>
                <xsl:if test="@birth or @death">
                  <xsl:text> </xsl:text>
                  <span class="lifespan">(<xsl:value-of select="string-join((substring(@birth, 1, 4), substring(@death, 1, 4)), '–')"/>)</span>
                </xsl:if></h2>
              <xsl:if test="occupation">
                <ul class="occupations">
                  <xsl:for-each select="occupation">
                    <li class="occupation"><xsl:value-of select="."/>
                      <xsl:if test="@from or @to">
                        <xsl:text> (</xsl:text>
                        <xsl:value-of select="if (@from and @to) then cm:date-long(@from) || ' – ' || cm:date-long(@to)
                          else if (@from) then 'from ' || cm:date-long(@from) else 'until ' || cm:date-long(@to)"/>
                        <xsl:text>)</xsl:text>
                      </xsl:if></li>
                  </xsl:for-each>
                </ul>
              </xsl:if>
              <xsl:if test="variant">
                <p class="variants">Printed as: <xsl:value-of select="string-join(variant, '; ')"/></p>
              </xsl:if>
              <xsl:variable name="roles" select="key('roles', @id)"/>
              <xsl:choose>
                <xsl:when test="$roles">
                  <ul class="documents">
                    <xsl:for-each-group select="$roles" group-by="../@id">
                      <xsl:sort select="cm:is-secondary(current-group()[1]/../@genre)"/>
                      <xsl:sort select="current-group()[1]/../@date"/>
                      <xsl:sort select="current-grouping-key()"/>
                      <xsl:variable name="doc" select="current-group()[1]/.."/>
                      <li><a href="{current-grouping-key()}.html"><xsl:value-of select="cm:summary-title($doc)"/></a>
                        (<xsl:value-of select="$doc/@date-label"/><xsl:if test="cm:is-secondary($doc/@genre)">, secondary source</xsl:if>):
                        <xsl:value-of select="string-join(distinct-values(current-group()/@role) ! cm:role-label(.), ', ')"/></li>
                    </xsl:for-each-group>
                  </ul>
                </xsl:when>
                <xsl:otherwise><p class="no-documents">No document published here points to this person
                  (the converter tags a name in the text only where it is sure whom it names).</p></xsl:otherwise>
              </xsl:choose>
            </section>
          </xsl:for-each>
        </main>
        <footer class="site"><p>Published with cmctei.</p></footer>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
