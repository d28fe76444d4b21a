<?php

declare(strict_types=1);

namespace Drupal\georeport\Tests;

use Drupal\Core\Template\Attribute;
use Drupal\georeport\GeoReportElement;
use PHPUnit\Framework\TestCase;
use Twig\Environment;
use Twig\Extension\EscaperExtension;
use Twig\Loader\FilesystemLoader;

/**
 * The module's template, rendered by real Twig after the module's preprocess function, as Drupal does.
 */
final class TemplateTest extends TestCase {

  /**
   * What a block's render array prints: preprocess, then the template with autoescaping on.
   */
  private static function render(array $build): string {
    $twig = new Environment(new FilesystemLoader(GEOREPORT_MODULE . '/templates'), ['autoescape' => 'html', 'strict_variables' => TRUE]);
    // Drupal's Attribute is markup to Twig (printed as is: it escapes its own values).
    $twig->getExtension(EscaperExtension::class)->addSafeClass(Attribute::class, ['html']);
    $variables = ['element' => $build['#element'], 'element_attributes' => $build['#element_attributes']];
    template_preprocess_georeport_element($variables);
    return trim($twig->render('georeport-element.html.twig', $variables));
  }

  public function testTheElementIsPrintedWithItsAttributes(): void {
    $html = self::render(GeoReportElement::build(['server_url' => 'https://311.ville.example/', 'language' => 'fr', 'accent' => '#7a1f5c'], 'map', ['services' => 'lampadaire']));
    $this->assertSame('<georeport-map server="https://311.ville.example/" lang="fr" services="lampadaire" accent="#7a1f5c"></georeport-map>', $html);
  }

  public function testHostileValuesArePrintedAsText(): void {
    $credit = '"><script>alert(1)</script><img src=x onerror=alert(2)> & \' onmouseover=\'alert(3)';
    $html = self::render(GeoReportElement::build(['server_url' => 'https://311.ville.example/', 'attribution' => $credit], 'widget', []));
    $this->assertSame('<georeport-widget server="https://311.ville.example/" attribution="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; &amp; &#039; onmouseover=&#039;alert(3)"></georeport-widget>', $html);
    $document = new \DOMDocument();
    $document->loadHTML('<body>' . $html . '</body>', LIBXML_NOERROR);
    $element = $document->getElementsByTagName('georeport-widget')->item(0);
    $this->assertSame($credit, $element->getAttribute('attribution'), 'a browser reads the credit back exactly');
    $this->assertSame(0, $document->getElementsByTagName('script')->length);
    $this->assertSame(2, $element->attributes->length);
  }

  public function testOnlyTheModuleElementsCanBePrinted(): void {
    $html = self::render(['#element' => 'script', '#element_attributes' => ['src' => 'https://evil.example/x.js']]);
    $this->assertSame('<georeport-widget src="https://evil.example/x.js"></georeport-widget>', $html, 'another element becomes the widget');
  }

}
