<?php

declare(strict_types=1);

namespace Drupal\georeport\Tests;

use Drupal\Core\Routing\RouteMatchInterface;
use Drupal\georeport\GeoReportElement;
use Drupal\georeport\Plugin\Block\MapBlock;
use Drupal\georeport\Plugin\Block\StatusBlock;
use Drupal\georeport\Plugin\Block\WidgetBlock;
use Drupal\georeport\Settings;
use PHPUnit\Framework\TestCase;

/**
 * The .module file's hooks, the configuration schema matching what the code keeps, and the French
 * translation being complete.
 */
final class ModuleTest extends TestCase {

  public function testTheThemeHookDeclaresTheTemplateAndItsVariables(): void {
    $this->assertSame(['georeport_element' => ['variables' => ['element' => 'georeport-widget', 'element_attributes' => []]]], georeport_theme());
    $this->assertFileExists(GEOREPORT_MODULE . '/templates/georeport-element.html.twig');
  }

  public function testTheHelpPageSaysWhereToStart(): void {
    $route = $this->createStub(RouteMatchInterface::class);
    $this->assertStringContainsString('Configuration → Web services → georeport', (string) georeport_help('help.page.georeport', $route));
    $this->assertNull(georeport_help('system.admin', $route));
  }

  public function testTheSchemaDescribesExactlyWhatIsInstalledAndSaved(): void {
    $schema = Yaml::read(GEOREPORT_MODULE . '/config/schema/georeport.schema.yml');
    $this->assertSame(Settings::KEYS, array_keys($schema['georeport.settings']['mapping']));
    $this->assertSame(Settings::KEYS, array_keys(Site::installed()));
    $blocks = ['georeport_widget' => WidgetBlock::class, 'georeport_map' => MapBlock::class, 'georeport_status' => StatusBlock::class];
    foreach ($blocks as $id => $class) {
      $block = new $class([], $id, [], new Site(), new Site());
      $this->assertSame(array_keys($block->defaultConfiguration()), array_keys($schema["block.settings.$id"]['mapping']), $id);
      $this->assertSame('block_settings', $schema["block.settings.$id"]['type']);
    }
  }

  public function testTheRoutesMenuAndLibraryTheModuleNamesExist(): void {
    $info = Yaml::read(GEOREPORT_MODULE . '/georeport.info.yml');
    $routes = Yaml::read(GEOREPORT_MODULE . '/georeport.routing.yml');
    $links = Yaml::read(GEOREPORT_MODULE . '/georeport.links.menu.yml');
    $this->assertSame(['module', '^10.3 || ^11'], [$info['type'], $info['core_version_requirement']]);
    $this->assertArrayHasKey($info['configure'], $routes);
    foreach ($links as $link) {
      $this->assertArrayHasKey($link['route_name'], $routes);
    }
    foreach ($routes as $route) {
      $this->assertTrue(class_exists($route['defaults']['_form']), $route['defaults']['_form']);
      $this->assertSame('administer site configuration', $route['requirements']['_permission']);
    }
    $libraries = Yaml::read(GEOREPORT_MODULE . '/georeport.libraries.yml');
    $attached = GeoReportElement::build(['server_url' => 'https://311.ville.example/'], 'map', [])['#attached']['library'];
    $this->assertSame(['georeport/widget'], $attached);
    $this->assertSame(['js/georeport.js'], array_keys($libraries['widget']['js']));
  }

  public function testEveryStringTheModuleShowsIsTranslatedIntoFrench(): void {
    $french = Po::read(GEOREPORT_MODULE . '/translations/fr.po');
    $shown = [];
    $files = new \RecursiveIteratorIterator(new \RecursiveDirectoryIterator(GEOREPORT_MODULE, \FilesystemIterator::SKIP_DOTS));
    foreach ($files as $file) {
      $source = file_get_contents($file->getPathname());
      if (preg_match('/\.(php|module)$/', $file->getFilename())) {
        preg_match_all('/(?:\bt|new TranslatableMarkup)\(\s*(\'(?:[^\'\\\\]|\\\\.)*\'|"(?:[^"\\\\]|\\\\.)*")/', $source, $m);
        foreach ($m[1] as $literal) {
          $shown[] = $literal[0] === "'" ? str_replace(["\\'", '\\\\'], ["'", '\\'], substr($literal, 1, -1)) : stripcslashes(substr($literal, 1, -1));
        }
      }
      elseif (preg_match('/\.(info|links\.menu|routing)\.yml$/', $file->getFilename())) {
        // What Drupal translates from YAML: the description, menu titles and descriptions, route titles.
        preg_match_all('/^\s*(?:description|title|_title): ["\']?(.*?)["\']?$/m', $source, $m);
        $shown = array_merge($shown, $m[1]);
      }
    }
    $this->assertGreaterThan(40, count(array_unique($shown)));
    $missing = array_values(array_diff(array_unique($shown), array_keys($french)));
    $this->assertSame([], $missing, 'strings without a French translation');
    $unused = array_values(array_diff(array_keys($french), $shown));
    $this->assertSame([], $unused, 'translations of strings the module no longer shows');
  }

}
